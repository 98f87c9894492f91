import Foundation

/// RFC 3339 timestamps and ISO 8601 publication dates as Gloss stores them (as text).
public enum Timestamp {
    /// The current time in UTC with millisecond precision, e.g. `2026-11-21T23:20:11.123Z`.
    public static func now() -> String { string(from: Date()) }

    /// `date` in UTC with millisecond precision.
    public static func string(from date: Date) -> String {
        // Nearest, not floor: a Date holds its time as a Double from 2001, and flooring would turn an exact
        // millisecond that comes back as …999.9999 into the millisecond before.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let days = Int64((Double(milliseconds) / 86_400_000).rounded(.down))
        let msOfDay = milliseconds - days * 86_400_000
        let (year, month, day) = civilDate(fromDaysSinceEpoch: days)
        let hour = msOfDay / 3_600_000, minute = msOfDay / 60_000 % 60, second = msOfDay / 1000 % 60, ms = msOfDay % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(ms, 3))Z"
    }

    /// Whether `text` is an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, isDate(bytes[0..<10]), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return false }
        return isTimeAndOffset(bytes[11...])
    }

    /// Whether `text` is a publication date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 date-time.
    public static func isValidPublicationDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        switch bytes.count {
        case 4: return digits(bytes[0..<4]) != nil
        case 7: return digits(bytes[0..<4]) != nil && bytes[4] == UInt8(ascii: "-") && (digits(bytes[5..<7]).map { (1...12).contains($0) } ?? false)
        case 10: return isDate(bytes[0..<10])
        default: return isValid(text)
        }
    }

    private static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = digits(b[0..<4]), let month = digits(b[5..<7]), let day = digits(b[8..<10]),
              (1...12).contains(month), day >= 1 else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthLengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= monthLengths[month - 1]
    }

    private static func isTimeAndOffset(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        guard b.count >= 9, b[2] == UInt8(ascii: ":"), b[5] == UInt8(ascii: ":"),
              let hour = digits(b[0..<2]), let minute = digits(b[3..<5]), let second = digits(b[6..<8]),
              hour < 24, minute < 60, second <= 60 else { return false }
        var rest = b[8...]
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let fraction = rest.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard !fraction.isEmpty else { return false }
            rest = rest.dropFirst(fraction.count)
        }
        if rest.count == 1 { return rest.first == UInt8(ascii: "Z") || rest.first == UInt8(ascii: "z") }
        let offset = Array(rest)
        guard offset.count == 6, offset[0] == UInt8(ascii: "+") || offset[0] == UInt8(ascii: "-"), offset[3] == UInt8(ascii: ":"),
              let offsetHour = digits(offset[1..<3]), let offsetMinute = digits(offset[4..<6]) else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.utf8.count)) + text
    }

    /// Howard Hinnant's `civil_from_days` (proleptic Gregorian calendar).
    private static func civilDate(fromDaysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
