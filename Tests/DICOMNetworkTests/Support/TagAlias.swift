import DICOMCore

/// Swift Testing also declares a `Tag` (for test tags); in these tests `Tag` is DICOM's.
typealias Tag = DICOMCore.Tag
