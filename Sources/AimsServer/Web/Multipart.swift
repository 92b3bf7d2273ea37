import Foundation

/// A minimal multipart/form-data reader for the one place a browser uploads a file.
struct Multipart {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    var parts: [Part] = []

    func field(_ name: String) -> String? { parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.body, as: UTF8.self) } }
    func file(_ name: String) -> Part? { parts.first { $0.name == name && $0.filename != nil } }

    /// nil when the content type is not multipart or the body is malformed.
    init?(contentType: String, body: [UInt8]) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let range = contentType.range(of: "boundary=")
        else { return nil }
        let boundary = contentType[range.upperBound...].split(separator: ";")[0].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Array("--\(boundary)".utf8)
        var sections: [ArraySlice<UInt8>] = []
        var index = body.startIndex
        var start: Int?
        while let found = Self.find(delimiter, in: body, from: index) {
            if let start { sections.append(body[start..<found]) }
            index = found + delimiter.count
            start = index
        }
        for section in sections {
            var bytes = section
            if bytes.starts(with: [13, 10]) { bytes = bytes.dropFirst(2) }
            if bytes.suffix(2) == [13, 10] { bytes = bytes.dropLast(2) }
            guard let split = Self.find([13, 10, 13, 10], in: Array(bytes), from: 0) else { continue }
            let all = Array(bytes)
            let headers = String(decoding: all[..<split], as: UTF8.self).components(separatedBy: "\r\n")
            var part = Part(name: "", body: Array(all[(split + 4)...]))
            for header in headers {
                let lower = header.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    part.name = Self.attribute("name", in: header) ?? ""
                    part.filename = Self.attribute("filename", in: header)
                } else if lower.hasPrefix("content-type:") {
                    part.contentType = header.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            parts.append(part)
        }
        if parts.isEmpty { return nil }
    }

    static func attribute(_ name: String, in header: String) -> String? {
        guard let range = header.range(of: "; \(name)=\"") else { return nil }
        let rest = header[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
