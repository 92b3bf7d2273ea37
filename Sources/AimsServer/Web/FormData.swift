import Foundation
import Hummingbird

/// An application/x-www-form-urlencoded body. Repeated names (checkbox groups) keep every value.
struct FormData: Sendable {
    var values: [String: [String]] = [:]

    subscript(_ name: String) -> String? { values[name]?.first }

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func read(_ request: Request, context: AimsRequestContext) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return FormData(String(buffer: buffer))
    }
}

enum CSRF {
    /// Every state-changing form carries the session's token; a mismatch changes nothing.
    /// Only cookie sessions need it: a bearer token is never sent by a browser on its own.
    static func check(_ form: FormData, context: AimsRequestContext) throws {
        guard context.viaSession else { return }
        guard let expected = context.identity?.csrfToken, let sent = form["_csrf"], sent == expected else {
            throw Problem.forbidden("The form's security token is missing or stale. Reload the page and try again.")
        }
    }
}
