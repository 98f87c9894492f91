import Foundation

/// Renders a `ReliabilityReport` as one self-contained HTML5 page.
///
/// The page has inline CSS and inline SVG charts only: no script, no external resource of any kind, so it reads
/// fully with JavaScript off, can be mailed as one file, and prints on A4. The output is deterministic: the same
/// report gives the same bytes.
public enum ReportHTML {
    /// Renders `report` as a complete HTML document.
    ///
    /// Every string from the report is escaped. The text of disagreements is shown exactly (white space kept,
    /// right-to-left runs isolated per line) and each coder's spans are highlighted by Unicode scalar offsets, as the
    /// model counts them.
    public static func render(_ report: ReliabilityReport) -> String {
        var page = HTMLWriter()
        let palette = CoderPalette(report)
        page.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        page.raw("<title>\(esc(report.title))</title>\n<style>\(stylesheet)</style>\n</head>\n<body>\n<main>\n")
        summary(report, into: &page)
        progress(report.progress, into: &page)
        for (index, feature) in report.features.enumerated() {
            FeatureSection(feature: feature, id: "feature-\(index + 1)", palette: palette).write(into: &page)
        }
        frequencies(report.frequencies, palette, into: &page)
        adjudication(report.adjudication, into: &page)
        page.raw(howToRead)
        page.raw("</main>\n</body>\n</html>\n")
        return page.output
    }

    // MARK: Sections

    private static func summary(_ report: ReliabilityReport, into page: inout HTMLWriter) {
        let project = report.project
        page.raw("<section id=\"summary\">\n<h1>\(esc(report.title))</h1>\n")
        page.raw("<p class=\"meta\">Generated \(esc(report.generatedAt)) from ")
        page.raw("<code>\(esc(project.database))</code></p>\n")
        page.raw("<nav aria-label=\"Contents\"><ol>\n<li><a href=\"#progress\">Progress per coder</a></li>\n")
        for (index, feature) in report.features.enumerated() {
            page.raw("<li><a href=\"#feature-\(index + 1)\">\(esc(feature.layer)).\(esc(feature.feature)) per ")
            page.raw("\(esc(feature.unit))</a></li>\n")
        }
        page.raw("<li><a href=\"#frequencies\">Code frequencies</a></li>\n")
        page.raw("<li><a href=\"#adjudication\">Adjudication</a></li>\n")
        page.raw("<li><a href=\"#how-to-read\">How to read this report</a></li>\n</ol></nav>\n")
        page.raw("<h2>Project</h2>\n<dl class=\"facts\">\n")
        let facts: [(String, String)] = [
            ("Documents", String(project.documents)), ("Code points", String(project.codePoints)),
            ("Annotations", String(project.annotations)),
            ("Coders", project.coders.isEmpty ? "—" : project.coders.joined(separator: ", ")),
            ("Codebooks", project.codebooks.isEmpty ? "—" : project.codebooks.joined(separator: ", ")),
            ("First activity", project.firstActivity ?? "—"), ("Last activity", project.lastActivity ?? "—"),
            ("Reliability documents", String(project.reliabilityDocuments)),
        ]
        for (name, value) in facts { page.raw("<dt>\(name)</dt><dd>\(esc(value))</dd>\n") }
        page.raw("</dl>\n</section>\n")
    }

    private static func progress(_ rows: [ProjectStatus.CoderStatus], into page: inout HTMLWriter) {
        page.raw("<section id=\"progress\">\n<h2>Progress per coder</h2>\n")
        guard !rows.isEmpty else {
            page.raw("<p>No assignments yet.</p>\n</section>\n")
            return
        }
        page.raw("<table>\n<thead><tr><th>Coder</th><th class=\"num\">Assigned, not started</th>")
        page.raw("<th class=\"num\">In progress</th><th class=\"num\">Done</th><th class=\"num\">Annotations</th>")
        page.raw("<th>Last activity</th></tr></thead>\n<tbody>\n")
        for row in rows {
            page.raw("<tr><td>\(esc(row.coder))</td><td class=\"num\">\(row.assigned)</td>")
            page.raw("<td class=\"num\">\(row.inProgress)</td><td class=\"num\">\(row.done)</td>")
            page.raw("<td class=\"num\">\(row.annotations)</td><td>\(esc(row.lastActivity ?? "—"))</td></tr>\n")
        }
        page.raw("</tbody>\n</table>\n")
        let segments = [("done", "#009E73"), ("in progress", "#E69F00"), ("not started", "#D9D9D9")]
        let totals = rows.map { max(0, $0.done) + max(0, $0.inProgress) + max(0, $0.assigned) }
        let scale = Double(max(1, totals.max() ?? 1))
        let labelWidth = min(160, Double(rows.map { $0.coder.unicodeScalars.count }.max() ?? 4) * 7 + 12)
        let barWidth = 860 - labelWidth - 150
        var chart = SVGChart(width: 860, height: Double(rows.count) * 28 + 34,
                             label: "Assignments per coder: done, in progress and not started")
        legend(segments, y: 12, into: &chart)
        for (index, row) in rows.enumerated() {
            let y = 30 + Double(index) * 28
            chart.text(clip(row.coder, to: labelWidth - 8), x: labelWidth - 8, y: y + 14, anchor: "end")
            let counts = [row.done, row.inProgress, row.assigned].map { max(0, $0) }
            var x = labelWidth
            chart.rect(x: x, y: y, width: barWidth, height: 20, fill: "#FFFFFF", stroke: "#BBBBBB")
            for (count, segment) in zip(counts, segments) where count > 0 {
                let width = Double(count) / scale * barWidth
                chart.rect(x: x, y: y, width: width, height: 20, fill: segment.1, title: "\(count) \(segment.0)")
                if width >= 18 {
                    chart.text(String(count), x: x + width / 2, y: y + 14, anchor: "middle",
                               fill: segment.1 == "#D9D9D9" ? "#222222" : "#000000")
                }
                x += width
            }
            let total = counts.reduce(0, +)
            chart.text(total == 0 ? "no assignments" : "\(counts[0]) of \(total) done", x: labelWidth + barWidth + 8,
                       y: y + 14)
        }
        page.figure(chart, caption: "Assignments per coder: done, in progress, not started.",
                    how: "Each bar is one coder's assignments, on one scale for all coders; the number in a segment "
                        + "counts documents. Annotations outside assignments are in the table only.")
        page.raw("</section>\n")
    }

    private static func frequencies(_ all: [ReliabilityReport.CodeFrequencies], _ palette: CoderPalette,
                                    into page: inout HTMLWriter) {
        page.raw("<section id=\"frequencies\">\n<h2>Code frequencies</h2>\n")
        if all.isEmpty { page.raw("<p>No coded features.</p>\n") }
        for table in all {
            page.raw("<h3>\(esc(table.layer)).\(esc(table.feature))</h3>\n")
            guard !table.rows.isEmpty else {
                page.raw("<p>No codes used.</p>\n")
                continue
            }
            page.raw("<table>\n<thead><tr><th>Code</th>")
            for coder in table.coders { page.raw("<th class=\"num\">\(esc(coder))</th>") }
            page.raw("<th class=\"num\">Total</th></tr></thead>\n<tbody>\n")
            for row in table.rows {
                page.raw("<tr><td>\(esc(row.code))</td>")
                for index in table.coders.indices { page.raw("<td class=\"num\">\(count(row, index))</td>") }
                page.raw("<td class=\"num\">\(row.counts.reduce(0, +))</td></tr>\n")
            }
            page.raw("</tbody>\n</table>\n")
            page.figure(groupedBars(table, palette), caption: "Uses of each code of \(table.layer).\(table.feature), "
                            + "per coder.",
                        how: "One bar per coder for each code, in codebook order; a code one coder uses much more "
                            + "often than the others points to a difference in how the codebook is read.")
        }
        page.raw("</section>\n")
    }

    private static func adjudication(_ rows: [ReliabilityReport.AdjudicationSummary], into page: inout HTMLWriter) {
        page.raw("<section id=\"adjudication\">\n<h2>Adjudication</h2>\n")
        guard !rows.isEmpty else {
            page.raw("<p>No gold standard yet (see <code>gloss adjudicate</code>).</p>\n</section>\n")
            return
        }
        page.raw("<table>\n<thead><tr><th>Gold</th><th>Layer</th>")
        for name in ["Merged", "Open", "Accepted", "Rejected", "Gold annotations"] {
            page.raw("<th class=\"num\">\(name)</th>")
        }
        page.raw("</tr></thead>\n<tbody>\n")
        for row in rows {
            page.raw("<tr><td>\(esc(row.gold))</td><td>\(esc(row.layer))</td><td class=\"num\">\(row.merged)</td>")
            page.raw("<td class=\"num\">\(row.open)</td><td class=\"num\">\(row.accepted)</td>")
            page.raw("<td class=\"num\">\(row.rejected)</td><td class=\"num\">\(row.goldAnnotations)</td></tr>\n")
        }
        page.raw("</tbody>\n</table>\n<p class=\"how\">Merged matches were decided by a rule (unanimous or majority); "
                 + "open ones wait for an adjudicator, who accepts or rejects each.</p>\n</section>\n")
    }

    // MARK: Charts shared by sections

    /// Draws a row of colour swatches with their names at height `y`.
    private static func legend(_ items: [(String, String)], y: Double, into chart: inout SVGChart) {
        var x = 4.0
        for (name, colour) in items {
            chart.rect(x: x, y: y - 9, width: 12, height: 12, fill: colour, stroke: "#666666")
            chart.text(name, x: x + 16, y: y + 1)
            x += 16 + textWidth(name) + 18
        }
    }

    /// A horizontal grouped bar chart of one feature's code frequencies: one group per code, one bar per coder.
    private static func groupedBars(_ table: ReliabilityReport.CodeFrequencies, _ palette: CoderPalette) -> SVGChart {
        let coders = max(1, table.coders.count)
        let barHeight = 12.0
        let groupHeight = Double(coders) * barHeight + 8
        let labelWidth = min(190, Double(table.rows.map { $0.code.unicodeScalars.count }.max() ?? 4) * 6.6 + 12)
        let plotWidth = 860 - labelWidth - 50
        let maximum = Double(max(1, table.rows.flatMap(\.counts).max() ?? 1))
        var chart = SVGChart(width: 860, height: 30 + Double(table.rows.count) * groupHeight + 6,
                             label: "Code frequencies of \(table.layer).\(table.feature) per coder")
        legend(table.coders.map { ($0, palette.colour($0)) }, y: 12, into: &chart)
        chart.line(x1: labelWidth, y1: 24, x2: labelWidth, y2: chart.height - 4, stroke: "#444444")
        for (group, row) in table.rows.enumerated() {
            let top = 28 + Double(group) * groupHeight
            chart.text(clip(row.code, to: labelWidth - 8), x: labelWidth - 6, y: top + groupHeight / 2 + 1,
                       anchor: "end")
            for (index, coder) in table.coders.enumerated() {
                let value = count(row, index)
                let y = top + Double(index) * barHeight
                let width = Double(value) / maximum * plotWidth
                chart.rect(x: labelWidth, y: y, width: width, height: barHeight - 1, fill: palette.colour(coder),
                           title: "\(row.code), \(coder): \(value)")
                chart.text(String(value), x: labelWidth + width + 3, y: y + barHeight - 2.5, size: 10)
            }
        }
        return chart
    }

    /// The count of coder `index` in `row`, 0 when the row is short.
    private static func count(_ row: ReliabilityReport.CodeFrequencies.Row, _ index: Int) -> Int {
        row.counts.indices.contains(index) ? row.counts[index] : 0
    }

    // MARK: Text

    private static let stylesheet = """

        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #eef1f4; color: #1b1f24; font: 15px/1.5 system-ui, -apple-system, "Segoe UI",
          Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", sans-serif; }
        main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 2.5rem 3rem; background: #ffffff; }
        h1 { font-size: 1.8rem; line-height: 1.2; margin: .5rem 0 .25rem; }
        h2 { font-size: 1.35rem; margin: 2.25rem 0 .75rem; padding-bottom: .2rem; border-bottom: 2px solid #c9d1d9; }
        h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
        h4 { font-size: .95rem; margin: 1rem 0 .25rem; }
        .meta, figcaption, caption, small, p.how { color: #57606a; }
        .meta { margin: 0 0 1rem; }
        nav ol { columns: 2; margin: 0; padding-left: 1.4rem; font-size: .9rem; }
        a { color: #0b5cad; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.25rem; margin: 0; }
        dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .88rem; }
        th, td { border: 1px solid #c9d1d9; padding: .2rem .55rem; text-align: left; vertical-align: top; }
        th { background: #f3f5f7; font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.diag { text-align: center; color: #8b949e; }
        small { font-size: .78rem; }
        .undef { color: #9a3412; font-style: italic; }
        .line { margin: .25rem 0 .5rem; }
        figure { margin: 1rem 0 1.25rem; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-size: .85rem; margin-bottom: .3rem; }
        svg { display: block; max-width: 100%; height: auto; }
        p.how { font-size: .8rem; margin: .3rem 0 0; padding-left: .5rem; border-left: 3px solid #c9d1d9; }
        article.dis { border-top: 1px solid #d8dee4; padding-top: .25rem; }
        .who { margin: .5rem 0 .15rem; font-size: .9rem; }
        .unit { white-space: pre-wrap; unicode-bidi: plaintext; overflow-wrap: anywhere; margin: 0 0 .5rem;
          padding: .35rem .6rem; border: 1px solid #d8dee4; border-left: 5px solid #8b949e; }
        mark { background: #ffe08a; color: inherit; border-bottom: 2px solid #a16207; }
        section#how-to-read p { margin: .4rem 0; }
        @media print {
          @page { size: A4; margin: 14mm; }
          body { background: none; font-size: 10pt; }
          main { max-width: none; padding: 0; }
          nav { display: none; }
          a { color: inherit; text-decoration: none; }
          h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
          tr, article.dis .unit { break-inside: avoid; page-break-inside: avoid; }
          th { background: none; }
          mark { background: none; border-bottom: 2px solid #000000; }
        }

        """

    private static let howToRead = """
        <section id="how-to-read">
        <h2>How to read this report</h2>
        <p><strong>Krippendorff's α</strong> is 1 − D<sub>o</sub>/D<sub>e</sub>, the observed disagreement over the \
        disagreement expected by chance, computed from the coincidence matrix with the feature's metric (Krippendorff \
        2004, <cite>Content Analysis</cite>, 2nd ed., ch. 11). 1 is perfect agreement, 0 agreement at chance level; \
        values below 0 mean systematic disagreement. Krippendorff (2004, §12.2) asks for α ≥ 0.800 before drawing \
        conclusions from the data and accepts α ≥ 0.667 for tentative ones.</p>
        <p><strong>The 95% interval</strong> of α comes from bootstrapping the pairable values (Hayes &amp; \
        Krippendorff 2007, <cite>Communication Methods and Measures</cite> 1(1)); P(α &lt; minimum) is the share of \
        bootstrap samples below the minimum acceptable α.</p>
        <p><strong>The κ family</strong> measures agreement beyond chance on the same data, each with its own model \
        of chance: Cohen's κ for two coders (Cohen 1960), Fleiss' κ (Fleiss 1971) and Conger's κ (Conger 1980) for \
        several, Scott's π (Scott 1955), Gwet's AC1 (Gwet 2008, 2014) and Bennett's S (Bennett, Alpert &amp; \
        Goldstein 1954). The coder × coder matrix gives Cohen's κ for each pair on the units both coded.</p>
        <p><strong>The coincidence matrix</strong> (Krippendorff 2004, §11.4) counts the pairs of values that \
        different coders gave to one unit, each unit weighted by 1/(m − 1) for its m values; agreement lies on the \
        diagonal, and off-diagonal cells show which categories are confused.</p>
        <p><strong>α per category</strong> is α of the data reduced to that category against all others: a low value \
        marks a category coders do not recognise alike. <strong>α per document</strong> is α over the units of one \
        document, lowest first, to find the documents to discuss. <strong>Disagreements</strong> show a unit's text \
        once per coder, with that coder's spans highlighted and the value the coder gave.</p>
        </section>

        """

    /// Escapes the five characters that are special in HTML text and attribute values.
    fileprivate static func esc(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A coefficient with 4 decimals, locale-independent; "undefined" for a value that is not finite.
    fileprivate static func fmt(_ value: Double) -> String {
        guard value.isFinite else { return "undefined" }
        let text = String(format: "%.4f", value)
        return text == "-0.0000" ? "0.0000" : text
    }

    /// A count that may be fractional (coincidences): an integer when whole, else two decimals.
    fileprivate static func amount(_ value: Double) -> String {
        guard value.isFinite else { return "undefined" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.2f", value)
    }

    /// The value, or "undefined: REASON" as plain (unescaped) text.
    fileprivate static func plain(_ value: ReliabilityReport.Value) -> String {
        if let number = value.value, number.isFinite { return fmt(number) }
        return "undefined" + (value.reason.map { ": " + $0 } ?? "")
    }

    /// The value as HTML: the number, or "undefined" in italics with the reason.
    fileprivate static func valueHTML(_ value: ReliabilityReport.Value) -> String {
        if let number = value.value, number.isFinite { return fmt(number) }
        return "<span class=\"undef\">\(esc(plain(value)))</span>"
    }

    /// An estimate of the width of `text` in SVG pixels at `size` (sans serif), used for layout only.
    fileprivate static func textWidth(_ text: String, size: Double = 11) -> Double {
        Double(text.unicodeScalars.count) * size * 0.58
    }

    /// `text` cut with "…" so that it fits in about `width` pixels at `size`.
    fileprivate static func clip(_ text: String, to width: Double, size: Double = 11) -> String {
        let fits = max(1, Int(width / (size * 0.58)))
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > fits else { return text }
        var result = String.UnicodeScalarView(scalars.prefix(max(1, fits - 1)))
        result.append("…")
        return String(result)
    }
}

/// Draws one section per coded feature: α and its interval, the κ family, the coder pairs, the coincidences,
/// α per category and per document, and the disagreements.
private struct FeatureSection {
    let feature: ReliabilityReport.FeatureReport
    let id: String
    let palette: CoderPalette

    private var name: String { "\(feature.layer).\(feature.feature)" }

    func write(into page: inout HTMLWriter) {
        let esc = ReportHTML.esc
        page.raw("<section id=\"\(id)\">\n<h2>\(esc(name)) per \(esc(feature.unit))</h2>\n")
        page.raw("<p class=\"line\">Unit: <strong>\(esc(feature.unit))</strong> (\(esc(feature.unitReason)))")
        page.raw(" · metric: \(esc(feature.metric)) · coders: \(esc(feature.coders.joined(separator: ", ")))")
        page.raw(" · units: \(feature.units) · pairable values: \(feature.pairableValues)</p>\n")
        var caption = "Krippendorff's α = \(ReportHTML.plain(feature.alpha))"
        if let interval = feature.interval {
            caption += ", 95% interval [\(ReportHTML.fmt(interval.lower)), \(ReportHTML.fmt(interval.upper))] from "
                + "\(interval.samples) bootstrap samples; P(α < \(ReportHTML.fmt(interval.minimum))) = "
                + ReportHTML.fmt(interval.probabilityBelowMinimum)
        }
        page.figure(alphaChart(), caption: caption + ".",
                    how: "The bar is the 95% bootstrap interval and the dot α itself; α right of the 0.800 line "
                        + "supports conclusions, between 0.667 and 0.800 only tentative ones.")
        page.raw("<h3>Agreement coefficients</h3>\n")
        if feature.coefficients.isEmpty {
            page.raw("<p>No coefficients: no unit has values from two coders.</p>\n")
        } else {
            page.raw("<table>\n<thead><tr><th>Coefficient</th><th class=\"num\">Value</th><th>Source</th></tr>")
            page.raw("</thead>\n<tbody>\n")
            for coefficient in feature.coefficients {
                page.raw("<tr><td><code>\(esc(coefficient.name))</code></td>")
                page.raw("<td class=\"num\">\(ReportHTML.valueHTML(coefficient.value))</td>")
                page.raw("<td><small>\(esc(coefficient.source))</small></td></tr>\n")
            }
            page.raw("</tbody>\n</table>\n")
        }
        pairMatrix(into: &page)
        page.raw("<h3>Coincidences</h3>\n")
        page.figure(heatMap(), caption: "Coincidence matrix of \(name): pairs of values within units.",
                    how: "Agreement lies on the diagonal; a dark cell off it is a pair of categories coders confuse. "
                        + "Shades are relative to the largest cell.")
        categoryTable(into: &page)
        documentTable(into: &page)
        disagreements(into: &page)
        page.raw("</section>\n")
    }

    // MARK: α and its interval

    private func alphaChart() -> SVGChart {
        let alpha = feature.alpha.value.flatMap { $0.isFinite ? $0 : nil }
        let interval = alpha == nil ? nil : feature.interval
        let low = min(-0.2, interval?.lower ?? 0, alpha ?? 0)
        let axis = Axis(low: (low * 5).rounded(.down) / 5, high: 1, left: 24, right: 836)
        var chart = SVGChart(width: 860, height: 96, label: "Krippendorff's alpha of \(name): " + (alpha.map {
            ReportHTML.fmt($0) } ?? ReportHTML.plain(feature.alpha)))
        chart.line(x1: axis.left, y1: 70, x2: axis.right, y2: 70, stroke: "#444444")
        for tick in axis.ticks() {
            chart.line(x1: axis.x(tick), y1: 70, x2: axis.x(tick), y2: 75, stroke: "#444444")
            chart.text(String(format: "%.1f", tick), x: axis.x(tick), y: 88, anchor: "middle", size: 10)
        }
        chart.line(x1: axis.x(0), y1: 24, x2: axis.x(0), y2: 70, stroke: "#BBBBBB")
        for (value, label, anchor) in [(0.667, "0.667 tentative", "end"), (0.8, "0.800 reliable", "start")] {
            chart.line(x1: axis.x(value), y1: 22, x2: axis.x(value), y2: 70, stroke: "#9A3412", dash: "4 3")
            chart.text(label, x: axis.x(value) + (anchor == "end" ? -4 : 4), y: 16, anchor: anchor, size: 10,
                       fill: "#9A3412")
        }
        guard let alpha else {
            let reason = ReportHTML.clip(ReportHTML.plain(feature.alpha), to: 760, size: 12)
            let width = ReportHTML.textWidth(reason, size: 12) + 16
            chart.rect(x: 430 - width / 2, y: 34, width: width, height: 24, fill: "#FFFFFF", stroke: "#9A3412")
            chart.text(reason, x: 430, y: 50, anchor: "middle", size: 12, fill: "#9A3412")
            return chart
        }
        if let interval {
            let x1 = axis.x(interval.lower), x2 = axis.x(interval.upper)
            chart.rect(x: x1, y: 38, width: max(1, x2 - x1), height: 16, fill: "#9ECAE1", stroke: "#3182BD",
                       title: "95% interval \(ReportHTML.fmt(interval.lower)) to \(ReportHTML.fmt(interval.upper))")
        }
        let x = axis.x(alpha)
        chart.line(x1: x, y1: 32, x2: x, y2: 60, stroke: "#08306B", width: 2)
        chart.circle(x: x, y: 46, radius: 5, fill: "#08306B")
        let label = "α = \(ReportHTML.fmt(alpha))"
        let right = max(x, axis.x(interval?.upper ?? alpha)) + 8
        if right + ReportHTML.textWidth(label) < chart.width {
            chart.text(label, x: right, y: 50, weight: "600")
        } else {
            chart.text(label, x: min(x, axis.x(interval?.lower ?? alpha)) - 8, y: 50, anchor: "end", weight: "600")
        }
        return chart
    }

    // MARK: Pairs of coders

    private func pairMatrix(into page: inout HTMLWriter) {
        let esc = ReportHTML.esc
        page.raw("<h3>Cohen's κ per pair of coders</h3>\n<table>\n<thead><tr><th></th>")
        for coder in feature.coders { page.raw("<th>\(esc(coder))</th>") }
        page.raw("</tr></thead>\n<tbody>\n")
        for row in feature.coders {
            page.raw("<tr><th>\(esc(row))</th>")
            for column in feature.coders {
                guard row != column else {
                    page.raw("<td class=\"diag\">—</td>")
                    continue
                }
                let pair = feature.pairs.first { ($0.first == row && $0.second == column)
                    || ($0.first == column && $0.second == row) }
                if let pair {
                    page.raw("<td class=\"num\">\(ReportHTML.valueHTML(pair.cohenKappa))<br><small>")
                    page.raw("\(pair.units) units</small></td>")
                } else {
                    page.raw("<td class=\"diag\"><small>no units in common</small></td>")
                }
            }
            page.raw("</tr>\n")
        }
        page.raw("</tbody>\n</table>\n<p class=\"how\">Each cell is Cohen's κ of the row's and the column's coder on "
                 + "the units both coded, with their number; the matrix is symmetric.</p>\n")
    }

    // MARK: Coincidences

    private func heatMap() -> SVGChart {
        let categories = feature.categories
        guard !categories.isEmpty else {
            var chart = SVGChart(width: 860, height: 40, label: "Coincidence matrix of \(name): no pairable values")
            chart.rect(x: 0.5, y: 0.5, width: 859, height: 39, fill: "#FFFFFF", stroke: "#BBBBBB")
            chart.text("no pairable values", x: 430, y: 25, anchor: "middle", size: 12, fill: "#9A3412")
            return chart
        }
        let cell = min(44, max(26, 520 / Double(categories.count)))
        let longest = Double(categories.map { $0.unicodeScalars.count }.max() ?? 1)
        let labelSpace = min(170, longest * 6.4 + 10)
        let top = labelSpace * 0.72 + 10
        let left = labelSpace
        let size = cell * Double(categories.count)
        var chart = SVGChart(width: left + size + labelSpace * 0.72 + 10, height: top + size + 8,
                             label: "Coincidence matrix of \(name), \(categories.count) categories")
        func value(_ row: Int, _ column: Int) -> Double {
            guard feature.coincidences.indices.contains(row),
                  feature.coincidences[row].indices.contains(column) else { return 0 }
            let number = feature.coincidences[row][column]
            return number.isFinite ? number : 0
        }
        let maximum = feature.coincidences.flatMap { $0 }.filter(\.isFinite).max() ?? 0
        for (index, category) in categories.enumerated() {
            let middle = (Double(index) + 0.5) * cell
            chart.text(ReportHTML.clip(category, to: labelSpace - 10), x: left + middle - 3, y: top - 6, rotate: -45)
            chart.text(ReportHTML.clip(category, to: labelSpace - 10), x: left - 6, y: top + middle + 4, anchor: "end")
        }
        for row in categories.indices {
            for column in categories.indices {
                let number = value(row, column)
                let share = maximum > 0 ? max(0, min(1, number / maximum)) : 0
                let x = left + Double(column) * cell, y = top + Double(row) * cell
                chart.rect(x: x, y: y, width: cell, height: cell, fill: shade(share), stroke: "#D0D7DE",
                           title: "\(categories[row]) × \(categories[column]): \(ReportHTML.amount(number))")
                chart.text(ReportHTML.amount(number), x: x + cell / 2, y: y + cell / 2 + 4, anchor: "middle",
                           size: cell < 32 ? 9 : 10,
                           fill: share > 0.45 ? "#FFFFFF" : (number == 0 ? "#9AA4AE" : "#111111"))
            }
        }
        chart.rect(x: left, y: top, width: size, height: size, fill: "none", stroke: "#444444")
        return chart
    }

    /// A single-hue shade from white (0) to dark blue (1), as `#RRGGBB`.
    private func shade(_ share: Double) -> String {
        let from = (255.0, 255.0, 255.0), to = (8.0, 48.0, 107.0)
        let channels = [from.0 + (to.0 - from.0) * share, from.1 + (to.1 - from.1) * share,
                        from.2 + (to.2 - from.2) * share]
        return "#" + channels.map { String(format: "%02X", Int($0.rounded())) }.joined()
    }

    // MARK: Categories and documents

    private func categoryTable(into page: inout HTMLWriter) {
        page.raw("<h3>α per category</h3>\n")
        guard !feature.perCategory.isEmpty else {
            page.raw("<p>No categories with pairable values.</p>\n")
            return
        }
        page.raw("<table>\n<thead><tr><th>Category</th><th class=\"num\">Pairable values</th><th class=\"num\">α")
        page.raw("</th></tr></thead>\n<tbody>\n")
        for row in feature.perCategory {
            page.raw("<tr><td>\(ReportHTML.esc(row.category))</td>")
            page.raw("<td class=\"num\">\(ReportHTML.amount(row.pairableValues))</td>")
            page.raw("<td class=\"num\">\(ReportHTML.valueHTML(row.alpha))</td></tr>\n")
        }
        page.raw("</tbody>\n</table>\n<p class=\"how\">α of the data reduced to this category against all others: "
                 + "how reliably coders tell this category apart.</p>\n")
    }

    private func documentTable(into page: inout HTMLWriter) {
        let esc = ReportHTML.esc
        page.raw("<h3>Agreement per document</h3>\n")
        guard !feature.documents.isEmpty else {
            page.raw("<p>No document was coded by two coders.</p>\n")
            return
        }
        page.raw("<table>\n<thead><tr><th>Document</th><th>Title</th><th class=\"num\">Units</th>")
        page.raw("<th class=\"num\">α</th></tr></thead>\n<tbody>\n")
        for document in feature.documents {
            page.raw("<tr><td><code>\(esc(document.documentID))</code></td><td><bdi>\(esc(document.title))</bdi></td>")
            page.raw("<td class=\"num\">\(document.units)</td><td class=\"num\">")
            page.raw("\(ReportHTML.valueHTML(document.alpha))</td></tr>\n")
        }
        page.raw("</tbody>\n</table>\n")
        let shown = Array(feature.documents.prefix(60))
        let caption = "α per document, lowest first" + (shown.count < feature.documents.count
            ? " (the \(shown.count) lowest of \(feature.documents.count); all are in the table)." : ".")
        page.figure(documentChart(shown), caption: caption,
                    how: "Bars start at the zero line: to the right for agreement above chance, to the left for "
                        + "systematic disagreement; dashed lines mark 0.667 and 0.800.")
    }

    private func documentChart(_ documents: [ReliabilityReport.DocumentAgreement]) -> SVGChart {
        let values = documents.compactMap { $0.alpha.value }.filter(\.isFinite)
        let axis = Axis(low: min(0, ((values.min() ?? 0) * 5).rounded(.down) / 5), high: 1, left: 210, right: 720)
        var chart = SVGChart(width: 860, height: 26 + Double(documents.count) * 20 + 4,
                             label: "Krippendorff's alpha per document of \(name)")
        let bottom = chart.height - 4
        for tick in axis.low < 0 ? [axis.low, 0, 1] : [0, 1] {
            chart.text(String(format: "%.1f", tick), x: axis.x(tick), y: 14, anchor: "middle", size: 10)
        }
        for reference in [0.667, 0.8] {
            chart.line(x1: axis.x(reference), y1: 18, x2: axis.x(reference), y2: bottom, stroke: "#9A3412",
                       dash: "3 3")
        }
        for (index, document) in documents.enumerated() {
            let y = 24 + Double(index) * 20
            chart.text(ReportHTML.clip(document.documentID, to: 196), x: 202, y: y + 13, anchor: "end")
            guard let alpha = document.alpha.value, alpha.isFinite else {
                let reason = ReportHTML.clip(ReportHTML.plain(document.alpha), to: 640)
                chart.rect(x: axis.x(0) + 1, y: y + 2, width: ReportHTML.textWidth(reason) + 8, height: 15,
                           fill: "#FFFFFF")
                chart.text(reason, x: axis.x(0) + 4, y: y + 13, fill: "#9A3412")
                continue
            }
            let x0 = axis.x(0), x1 = axis.x(alpha)
            chart.rect(x: min(x0, x1), y: y + 3, width: max(1, abs(x1 - x0)), height: 13,
                       fill: alpha < 0 ? "#D55E00" : "#0072B2",
                       title: "\(document.documentID): \(ReportHTML.fmt(alpha))")
            chart.text(ReportHTML.fmt(alpha), x: axis.right + 8, y: y + 13)
        }
        chart.line(x1: axis.x(0), y1: 18, x2: axis.x(0), y2: bottom, stroke: "#444444")
        return chart
    }

    // MARK: Disagreements

    private func disagreements(into page: inout HTMLWriter) {
        let esc = ReportHTML.esc
        page.raw("<h3>Disagreements</h3>\n")
        guard !feature.disagreements.isEmpty else {
            page.raw("<p>" + (feature.disagreementCount > 0 ? "\(feature.disagreementCount) units with disagreements, "
                + "none listed." : "No disagreements.") + "</p>\n")
            return
        }
        if feature.disagreementCount > feature.disagreements.count {
            page.raw("<p>Showing \(feature.disagreements.count) of \(feature.disagreementCount) units with ")
            page.raw("disagreements.</p>\n")
        }
        for item in feature.disagreements {
            page.raw("<article class=\"dis\">\n<h4>Document <code>\(esc(item.documentID))</code>, code points ")
            page.raw("\(item.start)–\(item.end)</h4>\n")
            for coderValue in item.values {
                let value = coderValue.value.map { "<strong>\(esc($0))</strong>" } ?? "—"
                page.raw("<p class=\"who\">\(esc(coderValue.coder)): \(value)</p>\n")
                page.raw("<div class=\"unit\" dir=\"auto\" style=\"border-left-color: ")
                page.raw("\(palette.colour(coderValue.coder))\">\(highlighted(item.text, coderValue.spans))</div>\n")
            }
            page.raw("</article>\n")
        }
    }

    /// `text` escaped, with the spans `[start, end)` (Unicode scalar offsets) wrapped in `<mark>`; spans are clipped
    /// to the text and overlapping ones merged.
    private func highlighted(_ text: String, _ spans: [[Int]]) -> String {
        let scalars = Array(text.unicodeScalars)
        let ranges = spans.compactMap { span -> (Int, Int)? in
            guard span.count == 2 else { return nil }
            let start = max(0, min(span[0], scalars.count)), end = max(0, min(span[1], scalars.count))
            return start < end ? (start, end) : nil
        }.sorted { $0 < $1 }
        var merged: [(Int, Int)] = []
        for range in ranges {
            if let last = merged.last, range.0 <= last.1 {
                merged[merged.count - 1].1 = max(last.1, range.1)
            } else {
                merged.append(range)
            }
        }
        func slice(_ from: Int, _ to: Int) -> String {
            ReportHTML.esc(String(String.UnicodeScalarView(scalars[from..<to])))
        }
        var result = "", position = 0
        for (start, end) in merged {
            result += slice(position, start) + "<mark>" + slice(start, end) + "</mark>"
            position = end
        }
        return result + slice(position, scalars.count)
    }
}

/// Maps a linear scale from `low`…`high` onto pixels `left`…`right`.
private struct Axis {
    let low: Double, high: Double, left: Double, right: Double

    func x(_ value: Double) -> Double {
        guard high > low else { return left }
        return left + (max(low, min(high, value)) - low) / (high - low) * (right - left)
    }

    /// The multiples of 0.2 on the axis.
    func ticks() -> [Double] {
        let first = Int((low * 5 - 1e-9).rounded(.up)), last = Int((high * 5 + 1e-9).rounded(.down))
        return first <= last ? (first...last).map { Double($0) / 5 } : []
    }
}

/// One colour per coder from the Okabe–Ito palette (colour-blind safe), stable across the page: project coders
/// first in their order, then any other coder in order of appearance.
private struct CoderPalette {
    private static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                                  "#000000"]
    private var order: [String: Int] = [:]

    init(_ report: ReliabilityReport) {
        let names = report.project.coders + report.progress.map(\.coder) + report.features.flatMap(\.coders)
            + report.frequencies.flatMap(\.coders)
        for name in names where order[name] == nil { order[name] = order.count }
    }

    func colour(_ coder: String) -> String { Self.colours[(order[coder] ?? 0) % Self.colours.count] }
}

/// Accumulates the page as a string.
private struct HTMLWriter {
    private(set) var output = ""

    /// Appends markup as is: callers escape every string that comes from the report.
    mutating func raw(_ markup: String) { output += markup }

    /// Appends a `<figure>` with a caption, the chart and a short "how to read this" paragraph.
    mutating func figure(_ chart: SVGChart, caption: String, how: String) {
        output += "<figure>\n<figcaption>\(ReportHTML.esc(caption))</figcaption>\n\(chart.markup)\n"
        output += "<p class=\"how\">\(ReportHTML.esc(how))</p>\n</figure>\n"
    }
}

/// Builds one inline SVG chart with a title and an accessible label; coordinates are written with one decimal.
private struct SVGChart {
    let width: Double
    let height: Double
    let label: String
    private var body = ""

    init(width: Double, height: Double, label: String) {
        self.width = width
        self.height = height
        self.label = label
    }

    var markup: String {
        let label = ReportHTML.esc(label)
        return "<svg role=\"img\" aria-label=\"\(label)\" width=\"\(n(width))\" "
            + "height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-size=\"11\">\n<title>\(label)"
            + "</title>\n\(body)</svg>"
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                       title: String? = nil) {
        body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" "
            + "fill=\"\(fill)\"" + (stroke.map { " stroke=\"\($0)\"" } ?? "")
        body += title.map { "><title>\(ReportHTML.esc($0))</title></rect>\n" } ?? "/>\n"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(n(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill)\"/>\n"
    }

    mutating func text(_ text: String, x: Double, y: Double, anchor: String = "start", size: Double = 11,
                       fill: String = "#1B1F24", weight: String? = nil, rotate: Double? = nil) {
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
            + (anchor == "start" ? "" : " text-anchor=\"\(anchor)\"") + (weight.map { " font-weight=\"\($0)\"" } ?? "")
            + (rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? "")
            + ">\(ReportHTML.esc(text))</text>\n"
    }

    /// A coordinate with one decimal, without a negative zero.
    private func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let text = String(format: "%.1f", value)
        return text == "-0.0" ? "0.0" : text
    }
}
