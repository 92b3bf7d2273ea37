import Testing
@testable import AimsExport
@Test func placeholder() {}
