import Testing

extension Testing.Tag {
    /// Tests that talk to third-party peers (pynetdicom, DCMTK).
    @Tag static var interop: Self
}
