import NIOCore

/// Smooth, CT-like pixel data: air around an elliptical body with a fat layer, two lungs whose
/// size follows the slice, a spine, an aorta and a soft gradient. Noise-free, so it compresses
/// and looks the way real images do (uniform regions, sharp edges) instead of like static.
enum Phantom {
    /// One slice as 16-bit little-endian stored values (HU + 1024, within 12 bits).
    static func chestSlice(rows: Int, columns: Int, slice: Int) -> ByteBuffer {
        // The lungs widen over the first 60 slices and then narrow again, as down a thorax.
        let phase = Double(slice % 120) / 120
        let lungScale = 0.75 + 0.5 * (phase < 0.5 ? phase : 1 - phase)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(rows * columns * 2)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: rows * columns * 2) { target in
            for row in 0..<rows {
                let y = (Double(row) + 0.5) / Double(rows) * 2 - 1
                for column in 0..<columns {
                    let x = (Double(column) + 0.5) / Double(columns) * 2 - 1
                    let hu = hounsfieldUnits(x: x, y: y, lungScale: lungScale)
                    let stored = UInt16(clamping: min(4095, max(0, hu + 1024)))
                    let index = (row * columns + column) * 2
                    target[index] = UInt8(truncatingIfNeeded: stored)
                    target[index + 1] = UInt8(truncatingIfNeeded: stored >> 8)
                }
            }
            return rows * columns * 2
        }
        return buffer
    }

    /// The Hounsfield value at (x, y) in [−1, 1]², y growing towards the patient's back.
    private static func hounsfieldUnits(x: Double, y: Double, lungScale: Double) -> Int {
        let body = ellipse(x, y, centreX: 0, centreY: 0.05, radiusX: 0.88, radiusY: 0.66)
        guard body <= 1 else { return -1000 }  // air
        if body > 0.86 { return -95 }  // subcutaneous fat
        if circle(x, y, centreX: 0, centreY: 0.5, radius: 0.085) { return 720 }  // vertebral body
        if circle(x, y, centreX: 0.1, centreY: 0.32, radius: 0.05) { return 180 }  // aorta, with contrast
        for side in [-1.0, 1.0] {
            let lung = ellipse(x, y, centreX: side * 0.38, centreY: 0.02, radiusX: 0.24 * lungScale, radiusY: 0.4 * lungScale)
            if lung <= 1 { return Int(-860 + 60 * y + 40 * lung) }  // denser towards the back
        }
        // Soft tissue with a gentle gradient, darker at the front.
        return Int(38 + 14 * y - 10 * body)
    }

    private static func ellipse(_ x: Double, _ y: Double, centreX: Double, centreY: Double, radiusX: Double, radiusY: Double) -> Double {
        let dx = (x - centreX) / radiusX
        let dy = (y - centreY) / radiusY
        return dx * dx + dy * dy
    }

    private static func circle(_ x: Double, _ y: Double, centreX: Double, centreY: Double, radius: Double) -> Bool {
        ellipse(x, y, centreX: centreX, centreY: centreY, radiusX: radius, radiusY: radius) <= 1
    }
}
