import EduData
import Fluent
import Vapor

/// `GET /api/v1/units`: every unit's public data.
struct UnitsAPIController {
    struct UnitDTO: Content {
        let code: String
        let type: String
        let name: String
        let nameEn: String
        let hostnames: [String]
        let parentCode: String?
        let email: String
        let mailDomain: String

        // `parentCode` is written as null for the root rather than left out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(type, forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(nameEn, forKey: .nameEn)
            try container.encode(hostnames, forKey: .hostnames)
            try container.encode(parentCode, forKey: .parentCode)
            try container.encode(email, forKey: .email)
            try container.encode(mailDomain, forKey: .mailDomain)
        }
    }

    struct UnitList: Content {
        let units: [UnitDTO]
    }

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.apiUnits.routePath, use: list)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let (units, hostnames) = try await OrgUnit.directory(on: req.db)
        let codes = Dictionary(uniqueKeysWithValues: units.compactMap { unit in unit.id.map { ($0, unit.code) } })
        let list = UnitList(units: units.map { unit in
            UnitDTO(
                code: unit.code, type: unit.typeCode, name: unit.name, nameEn: unit.nameEn,
                hostnames: unit.id.flatMap { hostnames[$0] } ?? [], parentCode: unit.parentID.flatMap { codes[$0] },
                email: unit.email, mailDomain: unit.mailDomain)
        })
        let response = Response(status: .ok)
        try response.content.encode(list, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }
}
