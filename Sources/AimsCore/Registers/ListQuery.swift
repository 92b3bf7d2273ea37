import Foundation

/// Filtering, search, sorting and pagination of a register list, shared by the API, the web and exports.
public struct ListQuery: Sendable, Equatable {
    public var filters: [String: String] = [:]
    public var search: String?
    /// A field name, or "-name" for descending.
    public var sort: String
    public var page: Int = 1
    public var perPage: Int = 50

    public static let maxPerPage = 500
    static let metaFields: Set<String> = ["title", "createdAt", "updatedAt", "version"]

    public init(sort: String) { self.sort = sort }

    /// Reads `q`, `sort`, `page`, `per_page` and `field=value` filters; unknown names are errors
    /// naming the parameter, never silently ignored.
    public static func parse(_ parameters: [(String, String)], spec: RegisterSpec) throws -> ListQuery {
        var query = ListQuery(sort: spec.defaultSort)
        var issues: [FieldIssue] = []
        for (name, value) in parameters {
            switch name {
            case "q": query.search = value.isEmpty ? nil : value
            case "sort":
                let field = value.hasPrefix("-") ? String(value.dropFirst()) : value
                if spec.field(field) == nil && !metaFields.contains(field) {
                    issues.append(FieldIssue("sort", "cannot sort by \(field)"))
                } else {
                    query.sort = value
                }
            case "page":
                if let page = Int(value), page >= 1 { query.page = page } else { issues.append(FieldIssue("page", "must be a whole number from 1")) }
            case "per_page":
                if let size = Int(value), (1...maxPerPage).contains(size) {
                    query.perPage = size
                } else {
                    issues.append(FieldIssue("per_page", "must be a whole number from 1 to \(maxPerPage)"))
                }
            case "format", "_": continue
            default:
                guard let field = spec.field(name), field.filterable else {
                    issues.append(FieldIssue(name, "is not a filter of \(spec.plural.lowercased())"))
                    continue
                }
                if !value.isEmpty { query.filters[name] = value }
            }
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return query
    }

    /// Applies filters, search and sort; returns all matches (for exports) without paging.
    public func matching(_ records: [StoredRecord]) -> [StoredRecord] {
        let needle = search?.lowercased()
        let kept = records.filter { record in
            for (field, wanted) in filters where !Self.matches(record.data[field] ?? .null, wanted) { return false }
            guard let needle else { return true }
            if record.title.lowercased().contains(needle) { return true }
            guard case .object(let object) = record.data else { return false }
            return object.values.contains { $0.text.lowercased().contains(needle) }
        }
        let descending = sort.hasPrefix("-")
        let field = descending ? String(sort.dropFirst()) : sort
        return kept.sorted { a, b in
            let (x, y) = (a.text(of: field).lowercased(), b.text(of: field).lowercased())
            if x == y { return DottedID.areInIncreasingOrder(a.title, b.title) }
            if x.isEmpty || y.isEmpty { return y.isEmpty }  // empty values last either way
            return descending ? DottedID.areInIncreasingOrder(y, x) : DottedID.areInIncreasingOrder(x, y)
        }
    }

    public func page(_ records: [StoredRecord]) -> ListPage {
        let all = matching(records)
        let start = min((page - 1) * perPage, all.count)
        return ListPage(items: Array(all[start..<min(start + perPage, all.count)]), total: all.count, page: page, perPage: perPage)
    }

    static func matches(_ value: JSONValue, _ wanted: String) -> Bool {
        switch value {
        case .array(let items): items.contains { $0.text.caseInsensitiveCompare(wanted) == .orderedSame }
        case .bool(let flag): (wanted == "true" || wanted == "yes") == flag && ["true", "false", "yes", "no"].contains(wanted)
        case .null: wanted == "none"
        default: value.text.caseInsensitiveCompare(wanted) == .orderedSame
        }
    }
}

public struct ListPage: Sendable, Equatable {
    public var items: [StoredRecord]
    public var total: Int
    public var page: Int
    public var perPage: Int
    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
}
