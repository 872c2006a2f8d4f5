import Foundation

/// One row a query returned. Columns are found by name in any case: PostgreSQL gives
/// unquoted names back in lower case (`labserviceid`), SQLite as they were declared.
public struct SQLRow: Sendable {
    /// The columns' names as the backend gave them, in order.
    public let columnNames: [String]
    public let values: [SQLValue]
    private let index: [String: Int]

    init(columnNames: [String], values: [SQLValue]) {
        self.columnNames = columnNames
        self.values = values
        var index: [String: Int] = [:]
        for (position, name) in columnNames.enumerated() where index[name.lowercased()] == nil {
            index[name.lowercased()] = position
        }
        self.index = index
    }

    func has(_ column: String) -> Bool { index[column.lowercased()] != nil }

    /// The stored value of a column, null when the row has no such column.
    public func value(_ column: String) -> SQLValue {
        index[column.lowercased()].map { values[$0] } ?? .null
    }

    /// The column as a Swift value. A value of another type is a defect of the query, not
    /// of the data: the schema's types and checks hold what each column takes.
    public subscript<T: SQLValueConvertible>(_ column: String) -> T {
        let value = value(column)
        guard let converted = T.from(value) else {
            preconditionFailure("column \(column) holds \(value), not \(T.self)")
        }
        return converted
    }

    public subscript(_ column: String) -> SQLValue { value(column) }
}

/// A record kept in one table, read from rows and written as rows through its `Codable`
/// conformance: a property is the column of its name; an array or a structure is JSON text.
protocol StoredRecord: Codable, Sendable {
    static var tableName: String { get }
}

/// A record whose integer id the database assigns on insert.
protocol NumberedRecord: StoredRecord {
    var id: Int64? { get set }
}

// MARK: - Decoding a record from a row

struct RowDecoder: Decoder {
    let row: SQLRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    static func decode<T: Decodable>(_ type: T.Type, from row: SQLRow) throws -> T {
        try T(from: RowDecoder(row: row))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row is not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a row is not one value"))
    }

    struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: SQLRow
        var codingPath: [any CodingKey] = []
        var allKeys: [Key] { row.columnNames.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.has(key.stringValue) }

        func decodeNil(forKey key: Key) throws -> Bool { row.value(key.stringValue) == .null }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let value = row.value(key.stringValue)
            if let convertible = T.self as? any SQLValueConvertible.Type {
                guard let decoded = convertible.from(value) as? T else {
                    throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key],
                                                                   debugDescription: "column \(key.stringValue) holds \(value)"))
                }
                return decoded
            }
            // Lists and structures are kept as JSON text, as GRDB keeps them.
            guard case .text(let json) = value else {
                throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key],
                                                                debugDescription: "column \(key.stringValue) holds \(value)"))
            }
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                                   forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "a column is not nested"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a column is not nested"))
        }

        func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
    }
}

// MARK: - Encoding a record as columns

/// A record's columns and values in the order its properties declare them. A nil optional is
/// a null column (an update must clear it); an insert leaves out a nil id for the database to assign.
final class RowEncoder: Encoder {
    var columns: [(name: String, value: SQLValue)] = []
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    static func columns(of record: some Encodable) throws -> [(name: String, value: SQLValue)] {
        let encoder = RowEncoder()
        try record.encode(to: encoder)
        return encoder.columns
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Columns<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { preconditionFailure("a record is a row, not a list") }
    func singleValueContainer() -> any SingleValueEncodingContainer { preconditionFailure("a record is a row, not one value") }

    struct Columns<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: RowEncoder
        var codingPath: [any CodingKey] = []

        func encodeNil(forKey key: Key) throws { encoder.columns.append((key.stringValue, .null)) }

        func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            if let convertible = value as? any SQLValueConvertible {
                encoder.columns.append((key.stringValue, convertible.sqlValue))
            } else {
                let json = JSONEncoder()
                json.outputFormatting = .sortedKeys
                encoder.columns.append((key.stringValue, .text(String(decoding: try json.encode(value), as: UTF8.self))))
            }
        }

        func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        func encodeIfPresent(_ value: String?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
        func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
        func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
        func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
        func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                   forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("a column is not nested")
        }
        func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { preconditionFailure("a column is not nested") }
        func superEncoder() -> any Encoder { encoder }
        func superEncoder(forKey key: Key) -> any Encoder { encoder }
    }
}
