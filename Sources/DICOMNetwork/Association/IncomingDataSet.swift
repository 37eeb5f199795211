import DICOMCore
import DICOMNetworkCore
import NIOCore

/// Where the data set of the message being received goes, fragment by fragment.
enum IncomingDataSet {
    /// Collected into one buffer, bounded (identifiers, N-service arguments, in-memory stores).
    case collect(ByteBuffer?)
    /// Streamed into a Part 10 file (a C-STORE to disk).
    case stream(FileReception)
    /// Read and dropped.
    case drop(length: Int)
    /// Read and dropped, to be answered with this status (a refused C-STORE).
    case refuse(DIMSEStatus)
}
