import AimsCore

/// JSON Schemas (OpenAPI 3.1 dialect) derived from register field specs.
enum OpenAPISchemas {
    static func schema(for field: FieldSpec) -> JSONValue {
        var schema: [String: JSONValue]
        switch field.kind {
        case .text, .longText: schema = ["type": "string"]
        case .boolean: schema = ["type": "boolean"]
        case .date: schema = ["type": "string", "format": "date"]
        case .choice(let choices): schema = ["type": "string", "enum": .array(choices.map { .string($0.value) })]
        case .choices(let choices): schema = ["type": "array", "items": ["type": "string", "enum": .array(choices.map { .string($0.value) })]]
        case .textList: schema = ["type": "array", "items": ["type": "string"]]
        case .integer(let range): schema = ["type": "integer", "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound))]
        case .dateTime: schema = ["type": "string", "format": "date-time"]
        case .reference(let kind): schema = ["type": "string", "format": "uuid", "description": .string("Id of a \(kind) record")]
        case .references(let kind): schema = ["type": "array", "items": ["type": "string", "format": "uuid"], "description": .string("Ids of \(kind) records")]
        }
        schema["title"] = .string(field.label)
        if !field.help.isEmpty { schema["description"] = .string(field.help) }
        if !field.required, case .string(let type) = schema["type"] ?? .null { schema["type"] = .array([.string(type), "null"]) }
        return .object(schema)
    }

    static func input(_ spec: RegisterSpec) -> JSONValue {
        [
            "type": "object", "additionalProperties": false,
            "properties": .object(Dictionary(uniqueKeysWithValues: spec.fields.map { ($0.name, schema(for: $0)) })),
            "required": .array(spec.fields.filter(\.required).map { .string($0.name) }),
        ]
    }

    static func patch(_ spec: RegisterSpec) -> JSONValue {
        ["type": "object", "additionalProperties": false,
         "properties": .object(Dictionary(uniqueKeysWithValues: spec.fields.map { ($0.name, schema(for: $0)) }))]
    }

    static func record(_ spec: RegisterSpec) -> JSONValue {
        var properties = Dictionary(uniqueKeysWithValues: spec.fields.map { ($0.name, schema(for: $0)) })
        properties["id"] = ["type": "string", "format": "uuid"]
        properties["version"] = ["type": "integer", "description": "Also sent as the ETag; send it back in If-Match."]
        for key in ["displayTitle", "createdBy", "updatedBy"] { properties[key] = ["type": "string"] }
        for key in ["createdAt", "updatedAt"] { properties[key] = ["type": "string", "format": "date-time"] }
        return ["type": "object", "properties": .object(properties), "required": ["id", "version"]]
    }

    static func page(of item: JSONValue) -> JSONValue {
        ["type": "object", "required": ["items", "total", "page", "perPage"],
         "properties": ["items": ["type": "array", "items": item], "total": ["type": "integer"],
                        "page": ["type": "integer"], "perPage": ["type": "integer"]]]
    }

    static let problem: JSONValue = [
        "type": "object", "description": "RFC 9457 problem details.",
        "properties": [
            "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
            "currentVersion": ["type": "integer"],
            "errors": ["type": "array", "items": ["type": "object", "properties": ["field": ["type": "string"], "message": ["type": "string"]]]],
        ],
    ]

    static func object(_ properties: [String: JSONValue]) -> JSONValue { ["type": "object", "properties": .object(properties)] }
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let anyObject: JSONValue = ["type": "object"]
    static func array(_ item: JSONValue) -> JSONValue { ["type": "array", "items": item] }
}
