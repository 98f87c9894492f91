/// Chance-corrected agreement coefficients for nominal (and, with weights, ordered) categories.
///
/// Notation of Gwet (2014), *Handbook of Inter-Rater Reliability*, 4th ed., chapter 2 and §3.3 (the
/// definitions irrCAC implements): `r_ik` coders put unit i in category k; `r_i = Σ_k r_ik`;
/// `w_kl` agreement weights; `r*_ik = Σ_l w_kl r_il`. Missing values are allowed: the percent agreement
/// p_a averages over the units with at least two values, and each coefficient's chance agreement p_e uses
/// every value given.
extension ReliabilityData {
    /// Counts per unit, for the units with at least one value.
    private func unitCounts() -> (rows: [Double], totals: [Double]) {
        let q = categories.count
        var rows: [Double] = []
        var totals: [Double] = []
        var row = [Double](repeating: 0, count: q)
        for unit in 0..<unitCount {
            var total = 0.0
            for coder in 0..<coderCount {
                let cell = cells[unit * coderCount + coder]
                if cell >= 0 { row[Int(cell)] += 1; total += 1 }
            }
            if total > 0 {
                rows.append(contentsOf: row)
                totals.append(total)
            }
            for k in 0..<q { row[k] = 0 }
        }
        return (rows, totals)
    }

    /// p_a = (1/n′) Σ_{i: r_i ≥ 2} Σ_k r_ik (r*_ik − 1) / (r_i (r_i − 1)) (Gwet 2014, eq. 2.5.3 with weights, §3.3).
    private func gwetObservedAgreement(_ counts: (rows: [Double], totals: [Double]), _ weights: [Double]) -> Double? {
        let q = categories.count
        var sum = 0.0, units = 0
        for (unit, total) in counts.totals.enumerated() where total >= 2 {
            var agreement = 0.0
            for k in 0..<q {
                let rik = counts.rows[unit * q + k]
                guard rik > 0 else { continue }
                var weighted = 0.0
                for l in 0..<q { weighted += weights[k * q + l] * counts.rows[unit * q + l] }
                agreement += rik * (weighted - 1)
            }
            sum += agreement / (total * (total - 1))
            units += 1
        }
        return units > 0 ? sum / Double(units) : nil
    }

    /// π_k = (1/n) Σ_i r_ik / r_i over the n units with a value (Gwet 2014, eq. 2.5.4).
    private func classificationProbabilities(_ counts: (rows: [Double], totals: [Double])) -> [Double] {
        let q = categories.count
        var pi = [Double](repeating: 0, count: q)
        for (unit, total) in counts.totals.enumerated() {
            for k in 0..<q { pi[k] += counts.rows[unit * q + k] / total }
        }
        let n = Double(counts.totals.count)
        return pi.map { $0 / n }
    }

    private static let noPairs = AgreementValue.undefined(reason: "fewer than two pairable values: no unit has values from two coders")

    /// Why weights cannot apply to these categories, or nil.
    private func weightsProblem(_ weights: AgreementWeights) -> String? {
        weights.kind == .identity || isOrdered ? nil
            : "weights need ordered categories; these are labels without an order (with --data, give --order a,b,c; on a project's spans, use an ordinal feature)"
    }

    /// Percent agreement p_a over the units with at least two values (Gwet 2014, eq. 2.5.3).
    public func percentAgreement(weights: AgreementWeights = .identity) -> AgreementValue {
        if let reason = weightsProblem(weights) { return .undefined(reason: reason) }
        return gwetObservedAgreement(unitCounts(), weights.matrix(for: categories)).map(AgreementValue.value) ?? Self.noPairs
    }

    /// Fleiss' κ (Fleiss 1971), generalised to missing values and weights: p_e = Σ_kl w_kl π_k π_l
    /// (Gwet 2014, eq. 2.5.4). For two coders and complete data it is Scott's π.
    public func fleissKappa(weights: AgreementWeights = .identity) -> AgreementValue {
        if let reason = weightsProblem(weights) { return .undefined(reason: reason) }
        let counts = unitCounts(), w = weights.matrix(for: categories), q = categories.count
        guard let pa = gwetObservedAgreement(counts, w) else { return Self.noPairs }
        let pi = classificationProbabilities(counts)
        var pe = 0.0
        for k in 0..<q { for l in 0..<q { pe += w[k * q + l] * pi[k] * pi[l] } }
        return .chanceCorrected(observed: pa, expected: pe)
    }

    /// Gwet's AC1 (identity weights) and AC2 (other weights): p_e = (Σ_kl w_kl / (q(q − 1))) Σ_k π_k (1 − π_k)
    /// (Gwet 2008, eq. 19; Gwet 2014, eq. 2.5.5 and §3.3).
    public func gwetAC(weights: AgreementWeights = .identity) -> AgreementValue {
        if let reason = weightsProblem(weights) { return .undefined(reason: reason) }
        let counts = unitCounts(), w = weights.matrix(for: categories), q = categories.count
        guard q > 1 else { return .undefined(reason: "only one category: AC needs at least two") }
        guard let pa = gwetObservedAgreement(counts, w) else { return Self.noPairs }
        let pi = classificationProbabilities(counts)
        let pe = w.reduce(0, +) / Double(q * (q - 1)) * pi.reduce(0) { $0 + $1 * (1 - $1) }
        return .chanceCorrected(observed: pa, expected: pe)
    }

    /// Bennett, Alpert & Goldstein's S (1954), also Brennan & Prediger's κ_n (1981) and Randolph's free-marginal
    /// κ (2005): p_e = Σ_kl w_kl / q² over the q categories of the ordered list (Gwet 2014, eq. 2.5.2).
    public func bennettS(weights: AgreementWeights = .identity) -> AgreementValue {
        if let reason = weightsProblem(weights) { return .undefined(reason: reason) }
        let w = weights.matrix(for: categories), q = categories.count
        guard let pa = gwetObservedAgreement(unitCounts(), w) else { return Self.noPairs }
        return .chanceCorrected(observed: pa, expected: w.reduce(0, +) / Double(q * q))
    }

    /// Conger's κ (Conger 1980), the multi-coder generalisation of Cohen's κ: with p_gk the share of coder g's
    /// values in category k, p̄_k their mean over the r coders and s²_kl their covariance,
    /// p_e = Σ_kl w_kl (p̄_k p̄_l − s²_kl / r) (Gwet 2014, eq. 2.5.6). Equals Hubert's κ (Warrens 2010).
    public func congerKappa(weights: AgreementWeights = .identity) -> AgreementValue {
        if let reason = weightsProblem(weights) { return .undefined(reason: reason) }
        let counts = unitCounts(), w = weights.matrix(for: categories), q = categories.count
        guard let pa = gwetObservedAgreement(counts, w) else { return Self.noPairs }
        let shares = coderShares()
        let r = Double(shares.count)
        guard r >= 2 else { return .undefined(reason: "fewer than two coders gave values") }
        var mean = [Double](repeating: 0, count: q)
        for share in shares { for k in 0..<q { mean[k] += share[k] / r } }
        var pe = 0.0
        for k in 0..<q {
            for l in 0..<q {
                let products = shares.reduce(0) { $0 + $1[k] * $1[l] }
                let covariance = (products - r * mean[k] * mean[l]) / (r - 1)
                pe += w[k * q + l] * (mean[k] * mean[l] - covariance / r)
            }
        }
        return .chanceCorrected(observed: pa, expected: pe)
    }

    /// For each coder with values, the share of their values in each category.
    private func coderShares() -> [[Double]] {
        let q = categories.count
        return (0..<coderCount).compactMap { coder in
            var share = [Double](repeating: 0, count: q)
            var total = 0.0
            for unit in 0..<unitCount {
                let cell = cells[unit * coderCount + coder]
                if cell >= 0 { share[Int(cell)] += 1; total += 1 }
            }
            return total > 0 ? share.map { $0 / total } : nil
        }
    }

    /// Cohen's κ (Cohen 1960) and weighted κ (Cohen 1968) for two coders: p_a over the units both coded,
    /// p_e = Σ_kl w_kl p_k· p_·l with each coder's marginals over the units they coded (Gwet 2014, eq. 2.5.1).
    public func cohenKappa(weights: AgreementWeights = .identity) -> AgreementValue {
        if let reason = weightsProblem(weights) { return .undefined(reason: reason) }
        guard coderCount == 2 else { return .undefined(reason: "needs exactly two coders; this data has \(coderCount)") }
        return pairwise(weights: weights, pooled: false, coders: (0, 1))
    }

    /// Scott's π (Scott 1955) for two coders: as Cohen's κ, with both coders' marginals pooled,
    /// p_e = Σ_kl w_kl π_k π_l, π_k = (p_k· + p_·k) / 2 (Gwet 2014, eq. 2.5.1).
    public func scottPi(weights: AgreementWeights = .identity) -> AgreementValue {
        if let reason = weightsProblem(weights) { return .undefined(reason: reason) }
        guard coderCount == 2 else { return .undefined(reason: "needs exactly two coders; this data has \(coderCount)") }
        return pairwise(weights: weights, pooled: true, coders: (0, 1))
    }

    /// Cohen's κ or Scott's π between two of the coders.
    private func pairwise(weights: AgreementWeights, pooled: Bool, coders: (Int, Int)) -> AgreementValue {
        let q = categories.count, w = weights.matrix(for: categories)
        var joint = [Double](repeating: 0, count: q * q)
        var first = [Double](repeating: 0, count: q), second = [Double](repeating: 0, count: q)
        var both = 0.0, firstTotal = 0.0, secondTotal = 0.0
        for unit in 0..<unitCount {
            let a = cells[unit * coderCount + coders.0], b = cells[unit * coderCount + coders.1]
            if a >= 0 { first[Int(a)] += 1; firstTotal += 1 }
            if b >= 0 { second[Int(b)] += 1; secondTotal += 1 }
            if a >= 0 && b >= 0 { joint[Int(a) * q + Int(b)] += 1; both += 1 }
        }
        guard both > 0 else { return Self.noPairs }
        var pa = 0.0, pe = 0.0
        for k in 0..<q {
            for l in 0..<q {
                pa += w[k * q + l] * joint[k * q + l] / both
                let (pk, pl) = (first[k] / firstTotal, second[l] / secondTotal)
                pe += w[k * q + l] * (pooled ? (pk + second[k] / secondTotal) / 2 * (first[l] / firstTotal + pl) / 2 : pk * pl)
            }
        }
        return .chanceCorrected(observed: pa, expected: pe)
    }

    /// Light's κ (Light 1971): the mean of Cohen's κ over all pairs of coders; undefined when any pair's is.
    public func lightKappa() -> AgreementValue {
        var sum = 0.0, pairs = 0
        for a in 0..<coderCount {
            for b in (a + 1)..<max(a + 1, coderCount) {
                switch pairwise(weights: .identity, pooled: false, coders: (a, b)) {
                case .value(let kappa): sum += kappa; pairs += 1
                case .undefined(let reason): return .undefined(reason: "coders \(a + 1) and \(b + 1): \(reason)")
                }
            }
        }
        return pairs > 0 ? .value(sum / Double(pairs)) : .undefined(reason: "needs at least two coders")
    }
}
