import Foundation

/// One candidate's published result, decoded from a snapshot.
public struct ExamCandidate: Sendable, Equatable {
    public let sbd: String
    public let fullName: String
    /// `yyyymmdd`.
    public let birthDate: Int32
    /// 0 unknown, 1 Nam, 2 Nữ.
    public let gender: UInt8
    public let council: String
    public let note: String
    /// Hundredths, `ExamScore.absent` when none (one per subject of the snapshot).
    public let scores: [UInt16]
    public let total: UInt16

    public var genderText: String { gender == 1 ? "Nam" : gender == 2 ? "Nữ" : "" }
}

/// The published results of one import, in one immutable byte buffer: records sorted by SBD
/// behind a table of offsets, so a lookup is a binary search and 1.1 million candidates take
/// about 70 bytes each. The same bytes are stored in the database (in chunks) and loaded by
/// every app node, so every node gives the same answer for the same version.
///
/// Layout: `EDX1`, u32 count, u16 subject count + (u16 length, UTF-8) each, u32 council count
/// + (u16 length, UTF-8) each, u32 offsets[count], then records: u8 SBD length, SBD, u32 birth
/// date, u8 gender, u32 council index (0xFFFFFFFF none), u16 total, u16 scores[subjects],
/// u16 name length, name, u16 note length, note. Integers are little-endian.
public final class ExamSnapshot: Sendable {
    public let bytes: [UInt8]
    public let count: Int
    public let subjects: [String]
    public let councils: [String]
    let offsetsStart: Int

    static let magic: [UInt8] = Array("EDX1".utf8)

    /// Parses and checks a snapshot: every offset and record must lie inside the buffer.
    public init(bytes: [UInt8]) throws {
        var reader = ByteReader(bytes: bytes, position: 0)
        guard Array(try reader.bytes(4)) == Self.magic else { throw SheetError("Dữ liệu kết quả thi không đúng định dạng.") }
        let count = Int(try reader.u32())
        var subjects: [String] = []
        for _ in 0..<Int(try reader.u16()) { subjects.append(try reader.string16()) }
        var councils: [String] = []
        let councilCount = Int(try reader.u32())
        guard councilCount <= bytes.count else { throw SheetError("Dữ liệu kết quả thi bị hỏng.") }
        councils.reserveCapacity(councilCount)
        for _ in 0..<councilCount { councils.append(try reader.string16()) }
        let offsetsStart = reader.position
        guard count <= (bytes.count - offsetsStart) / 4 else { throw SheetError("Dữ liệu kết quả thi bị hỏng.") }
        self.bytes = bytes
        self.count = count
        self.subjects = subjects
        self.councils = councils
        self.offsetsStart = offsetsStart
        // Every record must decode inside the buffer, in SBD order.
        var previous: ArraySlice<UInt8> = []
        for index in 0..<count {
            guard let sbd = try? sbdBytes(at: index), (try? recordEnd(at: offset(index))) != nil else {
                throw SheetError("Dữ liệu kết quả thi bị hỏng (bản ghi \(index + 1)).")
            }
            if index > 0 && !previous.lexicographicallyPrecedes(sbd) { throw SheetError("Dữ liệu kết quả thi không đúng thứ tự.") }
            previous = sbd
        }
    }

    func offset(_ index: Int) -> Int {
        let p = offsetsStart + index * 4
        return Int(bytes[p]) | Int(bytes[p + 1]) << 8 | Int(bytes[p + 2]) << 16 | Int(bytes[p + 3]) << 24
    }

    private func sbdBytes(at index: Int) throws -> ArraySlice<UInt8> {
        let start = offset(index)
        guard start < bytes.count else { throw SheetError("offset") }
        let length = Int(bytes[start])
        guard start + 1 + length <= bytes.count else { throw SheetError("offset") }
        return bytes[(start + 1)..<(start + 1 + length)]
    }

    /// The candidate with this SBD (already upper-cased), or nil.
    public func candidate(sbd: String) -> ExamCandidate? {
        let key = Array(sbd.utf8)
        guard !key.isEmpty, key.count < 256 else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> ExamCandidate? in
            var low = 0, high = count - 1
            while low <= high {
                let mid = (low + high) / 2
                let p = offsetsStart + mid * 4
                let start = Int(buffer[p]) | Int(buffer[p + 1]) << 8 | Int(buffer[p + 2]) << 16 | Int(buffer[p + 3]) << 24
                let length = Int(buffer[start])
                let order = Self.compare(buffer, start + 1, length, key)
                if order == 0 { return try? decodeRecord(at: start) }
                if order < 0 { low = mid + 1 } else { high = mid - 1 }
            }
            return nil
        }
    }

    @inline(__always)
    static func compare(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, _ key: [UInt8]) -> Int {
        let n = min(length, key.count)
        for i in 0..<n {
            let a = buffer[start + i], b = key[i]
            if a != b { return a < b ? -1 : 1 }
        }
        return length == key.count ? 0 : (length < key.count ? -1 : 1)
    }

    /// Where the record starting at `start` ends; throws when it runs past the buffer.
    func recordEnd(at start: Int) throws -> Int {
        var reader = ByteReader(bytes: bytes, position: start)
        _ = try reader.bytes(Int(try reader.u8()) + 4 + 1 + 4 + 2 + 2 * subjects.count)
        _ = try reader.bytes(Int(try reader.u16()))
        _ = try reader.bytes(Int(try reader.u16()))
        return reader.position
    }

    func decodeRecord(at start: Int) throws -> ExamCandidate {
        var reader = ByteReader(bytes: bytes, position: start)
        let sbdLength = Int(try reader.u8())
        let sbd = String(decoding: try reader.bytes(sbdLength), as: UTF8.self)
        let birth = Int32(bitPattern: try reader.u32())
        let gender = try reader.u8()
        let councilIndex = try reader.u32()
        let total = try reader.u16()
        var scores: [UInt16] = []
        scores.reserveCapacity(subjects.count)
        for _ in subjects { scores.append(try reader.u16()) }
        let name = try reader.string16()
        let note = try reader.string16()
        let council = councilIndex == UInt32.max ? "" : (councils.indices.contains(Int(councilIndex)) ? councils[Int(councilIndex)] : "")
        return ExamCandidate(sbd: sbd, fullName: name, birthDate: birth, gender: gender, council: council, note: note, scores: scores, total: total)
    }

    /// Every candidate in SBD order (for statistics and exports).
    public func forEach(_ body: (ExamCandidate) -> Void) {
        for index in 0..<count {
            if let candidate = try? decodeRecord(at: offset(index)) { body(candidate) }
        }
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var position: Int

    mutating func u8() throws -> UInt8 {
        guard position < bytes.count else { throw SheetError("short") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws -> UInt16 {
        guard position + 2 <= bytes.count else { throw SheetError("short") }
        defer { position += 2 }
        return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
    }

    mutating func u32() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw SheetError("short") }
        defer { position += 4 }
        return UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
    }

    mutating func bytes(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else { throw SheetError("short") }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    mutating func string16() throws -> String {
        String(decoding: try bytes(Int(try u16())), as: UTF8.self)
    }
}

/// Builds a snapshot record by record (the importer appends as it reads), then sorts.
public struct ExamSnapshotBuilder {
    public let subjects: [String]
    private var records: [UInt8] = []
    /// (record offset in `records`, source line) per candidate.
    private var index: [(offset: UInt32, line: UInt32)] = []
    private var councilIndex: [String: UInt32] = [:]
    private var councils: [String] = []

    public init(subjects: [String], expectedCount: Int = 0) {
        self.subjects = subjects
        records.reserveCapacity(expectedCount * 64)
        index.reserveCapacity(expectedCount)
    }

    public var count: Int { index.count }

    public mutating func append(sbd: String, fullName: String, birthDate: Int32, gender: UInt8, council: String, note: String,
                                scores: [UInt16], total: UInt16, line: Int) {
        precondition(scores.count == subjects.count)
        index.append((UInt32(records.count), UInt32(line)))
        let sbdBytes = Array(sbd.utf8.prefix(255))
        records.append(UInt8(sbdBytes.count))
        records.append(contentsOf: sbdBytes)
        put32(UInt32(bitPattern: birthDate))
        records.append(gender)
        if council.isEmpty {
            put32(UInt32.max)
        } else if let known = councilIndex[council] {
            put32(known)
        } else {
            let new = UInt32(councils.count)
            councils.append(council)
            councilIndex[council] = new
            put32(new)
        }
        put16(total)
        for score in scores { put16(score) }
        putString(fullName)
        putString(note)
    }

    private mutating func put16(_ v: UInt16) {
        records.append(UInt8(v & 0xFF))
        records.append(UInt8(v >> 8))
    }

    private mutating func put32(_ v: UInt32) {
        records.append(UInt8(v & 0xFF))
        records.append(UInt8(v >> 8 & 0xFF))
        records.append(UInt8(v >> 16 & 0xFF))
        records.append(UInt8(v >> 24))
    }

    private mutating func putString(_ s: String) {
        let utf8 = Array(s.utf8.prefix(60_000))
        put16(UInt16(utf8.count))
        records.append(contentsOf: utf8)
    }

    /// Sorts by SBD; returns the duplicates as (line, line of the first occurrence, SBD).
    public mutating func sortAndFindDuplicates() -> [(line: Int, firstLine: Int, sbd: String)] {
        let recordsCopy = records
        recordsCopy.withUnsafeBufferPointer { buffer in
            index.sort { a, b in
                let sa = Int(a.offset), sb = Int(b.offset)
                let la = Int(buffer[sa]), lb = Int(buffer[sb])
                let n = min(la, lb)
                for i in 0..<n {
                    let x = buffer[sa + 1 + i], y = buffer[sb + 1 + i]
                    if x != y { return x < y }
                }
                return la != lb ? la < lb : a.line < b.line
            }
        }
        var duplicates: [(line: Int, firstLine: Int, sbd: String)] = []
        var runStart = 0
        for i in 1..<max(1, index.count) {
            let a = Int(index[runStart].offset), b = Int(index[i].offset)
            let la = Int(records[a]), lb = Int(records[b])
            if la == lb && records[(a + 1)..<(a + 1 + la)] == records[(b + 1)..<(b + 1 + lb)] {
                duplicates.append((Int(index[i].line), Int(index[runStart].line), String(decoding: records[(b + 1)..<(b + 1 + lb)], as: UTF8.self)))
            } else {
                runStart = i
            }
        }
        return duplicates.sorted { $0.line < $1.line }
    }

    /// The finished bytes (call after `sortAndFindDuplicates`, with no duplicates left).
    public func finish() -> [UInt8] {
        var out: [UInt8] = []
        var header: [UInt8] = ExamSnapshot.magic
        func h16(_ v: Int) { header.append(UInt8(v & 0xFF)); header.append(UInt8(v >> 8 & 0xFF)) }
        func h32(_ v: Int) { h16(v & 0xFFFF); h16(v >> 16 & 0xFFFF) }
        func hString(_ s: String) { let u = Array(s.utf8.prefix(60_000)); h16(u.count); header.append(contentsOf: u) }
        h32(index.count)
        h16(subjects.count)
        for subject in subjects { hString(subject) }
        h32(councils.count)
        for council in councils { hString(council) }
        let recordsStart = header.count + index.count * 4
        out.reserveCapacity(recordsStart + records.count)
        out.append(contentsOf: header)
        for entry in index {
            let v = recordsStart + Int(entry.offset)
            out.append(UInt8(v & 0xFF))
            out.append(UInt8(v >> 8 & 0xFF))
            out.append(UInt8(v >> 16 & 0xFF))
            out.append(UInt8(v >> 24 & 0xFF))
        }
        out.append(contentsOf: records)
        return out
    }
}
