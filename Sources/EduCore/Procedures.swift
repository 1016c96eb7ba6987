/// Administrative procedures (A8.4). Decree 42/2022/NĐ-CP, Art. 11, sorts online public services
/// into two levels: "toàn trình" (the whole procedure online) and "một phần" (the dossier is sent
/// online, the result or the fee is handled in person); a procedure with neither is published as
/// information only. The catalogue fields follow what the decree and the national catalogue
/// (Cơ sở dữ liệu quốc gia về thủ tục hành chính) show for each procedure.
public enum ProcedureLevel: String, Sendable, CaseIterable {
    case fullyOnline = "toan-trinh"
    case partlyOnline = "mot-phan"
    case information = "thong-tin"

    public var label: String {
        switch self {
        case .fullyOnline: "Dịch vụ công trực tuyến toàn trình"
        case .partlyOnline: "Dịch vụ công trực tuyến một phần"
        case .information: "Cung cấp thông tin"
        }
    }

    /// Reads a level as people write it in a catalogue file: the label, the code, or «toàn trình»,
    /// «một phần», «mức 4», «mức 3» (the levels before Decree 42), «mức 2»/«thông tin».
    public static func read(_ text: String) -> ProcedureLevel? {
        let folded = SearchFolding.foldWords(text)
        if folded.isEmpty { return nil }
        for level in allCases where folded == SearchFolding.foldWords(level.label) || folded == SearchFolding.foldWords(level.rawValue) { return level }
        if folded.contains("toan trinh") || folded == "muc 4" || folded == "muc do 4" || folded == "4" { return .fullyOnline }
        if folded.contains("mot phan") || folded == "muc 3" || folded == "muc do 3" || folded == "3" { return .partlyOnline }
        if folded.contains("thong tin") || ["muc 1", "muc 2", "muc do 1", "muc do 2", "1", "2"].contains(folded) { return .information }
        return nil
    }
}
