import DICOMCore
import DICOMNetworkCore
import NIOCore

/// A command set as a peer's command fragments bring it. Properties, beyond "nothing traps": a
/// command set that decodes into a DIMSE message is one whose message encodes into a command set
/// that decodes, and that encoding is a fixed point: the message it decodes to is encoded again
/// byte for byte the same, and decodes to itself. (The first encoding may differ from the input:
/// an Error Comment longer than its 64 characters is cut, as every one we send is.)
public enum CommandSetProperties {
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws(PropertyViolation) {
        let input = ByteBuffer(bytes: bytes)
        guard let commandSet = try? CommandSet.decode(input),
            let message = try? DIMSEMessage(commandSet: commandSet)
        else { return }
        _ = message.messageID
        _ = message.status
        _ = message.hasDataSet
        let encoded: ByteBuffer
        do {
            encoded = try CommandSet.encode(message.commandSet)
        } catch {
            return  // a command set too long to send again: nothing a peer reaches
        }
        let sent: DIMSEMessage
        let encodedAgain: ByteBuffer
        let again: DIMSEMessage
        do {
            sent = try DIMSEMessage(commandSet: CommandSet.decode(encoded))
            encodedAgain = try CommandSet.encode(sent.commandSet)
            again = try DIMSEMessage(commandSet: CommandSet.decode(encodedAgain))
        } catch {
            throw PropertyViolation("a \(message.commandField) encodes into a command set that does not decode: \(error)")
        }
        guard encodedAgain == encoded else {
            throw PropertyViolation(
                "a \(message.commandField) is not encoded the same twice, \(firstDifference(Array(encoded.readableBytesView), Array(encodedAgain.readableBytesView)))")
        }
        guard again == sent else {
            throw PropertyViolation("a \(message.commandField) does not survive encoding, \(firstDifference(sent, again))")
        }
    }
}
