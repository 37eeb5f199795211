public import NIOCore

extension DataSetWriter {
    /// Appends one element whose value is `text`'s UTF-8 bytes, padded to even length with
    /// `vr`'s padding byte, in Explicit or Implicit VR Little Endian: the bytes
    /// ``encode(_:transferSyntax:)`` gives for an element that `DataSet.setString(_:for:vr:)`
    /// made from the same text with a character set that encodes it as UTF-8 (the default
    /// repertoire for ASCII, ISO_IR 192 otherwise). For encoders that write a data set straight
    /// from other values, without a `DataSet` between (a C-FIND response from an index row).
    ///
    /// As ``encode(_:transferSyntax:)`` does, a value too long for its VR's 16-bit length is
    /// written as UN in explicit VR.
    public static func appendTextElement(_ tag: Tag, _ vr: VR, _ text: String, explicit: Bool, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            appendTextElement(tag, vr, UnsafeRawBufferPointer(bytes), explicit: explicit, to: &buffer)
        }
    }

    /// ``appendTextElement(_:_:_:explicit:to:)`` for a value given as bytes (empty: a
    /// zero-length element).
    public static func appendTextElement(_ tag: Tag, _ vr: VR, _ bytes: UnsafeRawBufferPointer, explicit: Bool, to buffer: inout ByteBuffer) {
        let padded = bytes.count + bytes.count % 2
        buffer.writeMultipleIntegers(tag.group, tag.element, endianness: .little)
        if !explicit {
            buffer.writeInteger(UInt32(padded), endianness: .little)
        } else if vr.hasLongExplicitLength || padded > maximumShortLength {
            let written: VR = vr.hasLongExplicitLength ? vr : .UN
            buffer.writeMultipleIntegers(written.code, UInt16(0), endianness: .big)
            buffer.writeInteger(UInt32(padded), endianness: .little)
        } else {
            buffer.writeInteger(vr.code, endianness: .big)
            buffer.writeInteger(UInt16(padded), endianness: .little)
        }
        buffer.writeBytes(bytes)
        if bytes.count % 2 == 1 { buffer.writeInteger(vr.paddingByte) }
    }
}
