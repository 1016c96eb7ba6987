import EduCore
import EduData
import EduTestSupport
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// `/api/v1/openapi.json` (#18 point 3): the contract lists exactly the API routes the server
/// registers, each with the answers it gives. `scripts/test` checks the running server against it
/// with schemathesis; this test keeps the document and the router from drifting apart.
@Suite struct OpenAPITests {
    @Test func theDocumentDescribesEveryAPIRouteAndNothingElse() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            var body = ""
            var type = ""
            try await app.testing().test(.GET, "/api/v1/openapi.json", headers: ["Host": "a.test"]) { response in
                #expect(response.status == .ok)
                type = response.headers.contentType?.description ?? ""
                body = response.body.string
            }
            #expect(type.hasPrefix("application/json"))
            let document = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])

            // Routes as the router holds them, with `:name` written `{name}` as OpenAPI does.
            let registered = Set(app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                "/" + route.path.map { component -> String in
                    let text = component.description
                    return text.hasPrefix(":") ? "{" + text.dropFirst() + "}" : text
                }.joined(separator: "/") + " " + route.method.rawValue.lowercased()
            })
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { path + " " + $0 } })
            #expect(!registered.isEmpty)
            #expect(registered == documented, "only in the router: \(registered.subtracting(documented)); only in the document: \(documented.subtracting(registered))")

            // Every path parameter is declared, every $ref resolves.
            let components = try #require(document["components"] as? [String: [String: Any]])
            func resolve(_ ref: String) -> Any? {
                let parts = ref.split(separator: "/").dropFirst()  // "#", "components", kind, name
                guard parts.count == 3, parts.first == "components" else { return nil }
                return components[String(parts[parts.startIndex + 1])]?[String(parts[parts.startIndex + 2])]
            }
            var refs: [String] = []
            func collect(_ value: Any) {
                if let object = value as? [String: Any] {
                    if let ref = object["$ref"] as? String { refs.append(ref) }
                    object.values.forEach(collect)
                } else if let array = value as? [Any] { array.forEach(collect) }
            }
            collect(document)
            #expect(!refs.isEmpty)
            for ref in refs { #expect(resolve(ref) != nil, "\(ref) does not resolve") }
            for (path, operations) in paths {
                let names = path.split(separator: "{").dropFirst().map { String($0.prefix { $0 != "}" }) }
                for (_, operation) in operations {
                    let parameters = ((operation as? [String: Any])?["parameters"] as? [Any] ?? []).compactMap { item -> [String: Any]? in
                        let object = item as? [String: Any]
                        return (object?["$ref"] as? String).flatMap(resolve) as? [String: Any] ?? object
                    }
                    let declared = Set(parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
                    #expect(declared == Set(names), "\(path): path parameters \(declared) for \(names)")
                }
            }
        }
    }
}
