import EduCore
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
        /// `null` for the root rather than left out.
        @NullEncoded var parentCode: String?
        let email: String
        let mailDomain: String
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
