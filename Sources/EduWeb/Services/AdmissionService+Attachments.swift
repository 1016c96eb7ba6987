import Crypto
import EduCore
import EduData
import Fluent
import Foundation

/// The papers a parent attaches to a registration (proof of a priority category, of residence):
/// PDF, JPEG or PNG recognised by their content, not their name; at most `maxAttachments` files
/// of `maxAttachmentBytes` each. Written and flushed to disk before the registration commits,
/// under random names outside the web root; shown to the staff who may see the registration.
extension AdmissionService {
    struct Upload: Sendable {
        let filename: String
        let bytes: [UInt8]
    }

    static let maxAttachmentBytes = 5 << 20
    static let maxAttachments = 3
    static let attachmentKinds: [FileSniffer.Kind] = [FileSniffer.pdf, FileSniffer.jpeg, FileSniffer.png]

    /// `<data>/admissions`: one folder per plan.
    static func attachmentsRoot(_ config: AppConfig) -> URL {
        URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("admissions")
    }

    /// The uploads the form carried (empty file inputs dropped), each with its recognised kind;
    /// a fault goes to the `attachments` field, naming the file.
    static func checkAttachments(_ uploads: [Upload], errors: inout FormErrors) -> [(upload: Upload, kind: FileSniffer.Kind)] {
        let given = uploads.filter { !$0.bytes.isEmpty }
        if given.count > maxAttachments {
            errors["attachments"] = "Đính kèm tối đa \(maxAttachments) tệp (đã chọn \(given.count))."
            return []
        }
        var checked: [(upload: Upload, kind: FileSniffer.Kind)] = []
        var faults: [String] = []
        for upload in given {
            let name = TextNormalizer.normalize(upload.filename, maxLength: 100)
            if upload.bytes.count > maxAttachmentBytes {
                faults.append("Tệp «\(name)» quá lớn (\(megabytes(upload.bytes.count)); tối đa \(maxAttachmentBytes >> 20) MB).")
            } else if let kind = FileSniffer.sniff(upload.bytes), attachmentKinds.contains(kind) {
                checked.append((upload, kind))
            } else {
                faults.append("Tệp «\(name)» không phải PDF, JPG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).")
            }
        }
        if !faults.isEmpty {
            errors["attachments"] = faults.joined(separator: " ") + " Chọn lại các tệp cần đính kèm."
            return []
        }
        return checked
    }

    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10),\(tenths % 10) MB"
    }

    /// Writes the checked files into the plan's folder and flushes them; the rows to insert with
    /// the registration. The caller removes the files if the registration does not commit.
    static func writeAttachments(
        _ files: [(upload: Upload, kind: FileSniffer.Kind)], planID: UUID, root: URL, now: Date
    ) throws -> (rows: [AdmissionAttachment], paths: [URL]) {
        guard !files.isEmpty else { return ([], []) }
        let folder = root.appendingPathComponent(planID.uuidString.lowercased())
        var rows: [AdmissionAttachment] = []
        var paths: [URL] = []
        do {
            for (upload, kind) in files {
                let (name, target) = try DurableFile.write(upload.bytes, fileExtension: kind.fileExtension, in: folder)
                paths.append(target)
                let row = AdmissionAttachment()
                row.storedName = name
                row.originalName = TextNormalizer.normalize(upload.filename, maxLength: 255)
                row.mimeType = kind.mimeType
                row.size = upload.bytes.count
                row.sha256 = SHA256.hash(data: upload.bytes).map { String(format: "%02x", $0) }.joined()
                row.createdAt = now
                rows.append(row)
            }
        } catch {
            for path in paths { try? FileManager.default.removeItem(at: path) }
            throw error
        }
        return (rows, paths)
    }

    static func attachments(of registration: AdmissionRegistration, on db: any Database) async throws -> [AdmissionAttachment] {
        try await AdmissionAttachment.query(on: db).filter(\.$registrationID == registration.requireID()).sort(\.$createdAt).all()
    }

    static func attachmentURL(_ attachment: AdmissionAttachment, planID: UUID, root: URL) -> URL {
        root.appendingPathComponent(planID.uuidString.lowercased()).appendingPathComponent(attachment.storedName)
    }
}
