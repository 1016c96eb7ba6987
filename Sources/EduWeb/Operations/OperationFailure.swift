import EduData
import Vapor

/// What a command-line operation reports to the operator, in Vietnamese; the CLI prints it and
/// exits non-zero.
public struct OperationFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// The unit the operator named by its code.
    static func unit(_ code: String, app: Application) async throws -> ResolvedUnit {
        guard let unit = try await ResolvedUnit.find(code: code.lowercased(), on: app.db) else {
            throw OperationFailure("Không có đơn vị mã «\(code)».")
        }
        return unit
    }
}
