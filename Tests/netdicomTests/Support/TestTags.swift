import Testing

extension Testing.Tag {
    /// Tests that run a third-party program (DCMTK, pydicom) against NetDICOM.
    @Tag static var interop: Self
}
