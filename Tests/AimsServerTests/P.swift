import Testing
@testable import AimsServer
@Test func placeholder() {}
