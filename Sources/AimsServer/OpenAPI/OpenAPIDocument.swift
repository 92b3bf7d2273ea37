import AimsCore

/// Builds the OpenAPI 3.1 document from the operations actually registered.
enum OpenAPIDocument {
    static func build(_ operations: [Endpoint], version: String) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = describe(operation)
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Aims API", "version": .string(version),
                     "description": "The JSON API of Aims, an AI management system for ISO/IEC 42001. Errors are RFC 9457 problem+json."],
            "paths": .object(paths.mapValues { .object($0) }),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "An API token from `aims token create` or Settings → API tokens."]],
                "schemas": ["Problem": OpenAPISchemas.problem],
            ],
        ]
    }

    static func describe(_ operation: Endpoint) -> JSONValue {
        var parameters: [JSONValue] = operation.pathParameters.map {
            ["name": .string($0), "in": "path", "required": true, "schema": ["type": "string"]]
        }
        parameters += operation.queryParameters.map {
            ["name": .string($0.name), "in": "query", "required": false, "description": .string($0.description), "schema": ["type": "string"]]
        }
        if operation.requiresIfMatch {
            parameters.append(["name": "If-Match", "in": "header", "required": true, "description": "The ETag last read.", "schema": ["type": "string"]])
        }
        let problem: JSONValue = ["content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]]
        var success: [String: JSONValue] = ["description": "Success"]
        if let schema = operation.responseSchema {
            success["content"] = .object(Dictionary(uniqueKeysWithValues: operation.responseContentTypes.map { ($0, ["schema": schema]) }))
        } else if operation.successStatus != 204 {
            success["content"] = .object(Dictionary(uniqueKeysWithValues: operation.responseContentTypes.map { ($0, [:]) }))
        }
        var responses: [String: JSONValue] = [String(operation.successStatus): .object(success), "default": problem.merging(["description": "An error"])]
        if operation.permission != nil {
            responses["401"] = problem.merging(["description": "Not signed in"])
            responses["403"] = problem.merging(["description": .string("The role lacks permission \(operation.permission!.rawValue)")])
        }
        if operation.requiresIfMatch {
            responses["412"] = problem.merging(["description": "The record changed since it was read"])
            responses["428"] = problem.merging(["description": "If-Match is missing"])
        }
        var result: [String: JSONValue] = [
            "summary": .string(operation.summary), "tags": [.string(operation.tag)],
            "operationId": .string(operationID(operation)), "parameters": .array(parameters), "responses": .object(responses),
        ]
        if let permission = operation.permission {
            result["security"] = [["bearer": []]]
            result["x-aims-permission"] = .string(permission.rawValue)
        } else {
            result["security"] = []
        }
        if let schema = operation.requestSchema {
            result["requestBody"] = ["required": true, "content": ["application/json": ["schema": schema]]]
        }
        return .object(result)
    }

    static func operationID(_ operation: Endpoint) -> String {
        let words = operation.path.split(separator: "/").dropFirst(2).map { $0.hasPrefix("{") ? "by-" + $0.dropFirst().dropLast() : String($0) }
        return ([operation.method.rawValue.lowercased()] + words).joined(separator: "-")
    }
}

extension JSONValue {
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object.merge(other) { _, new in new }
        return .object(object)
    }
}
