package io.concordat.simulator;

import io.concordat.crypto.Digest;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one run: the checkers' violations (none means it passed), the trace hash that
 * identifies the run, and counts for the report.

 */
public record SimulationResult(SimulationParameters parameters, Digest traceHash, long lastTick,
        List<String> violations, RunCounts counts) {

    public SimulationResult {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(traceHash, "traceHash");
        violations = List.copyOf(violations);
        Objects.requireNonNull(counts, "counts");
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** The one command that replays exactly this run; it names the signature scheme even if the seed drew it. */
    public String replayCommand() {
        return ReplayCommand.of(parameters.seed(), parameters.scenario().withSignatures(parameters.signatureScheme()));
    }

    /** A report for humans: what ran, what happened, what broke and how to replay it. */
    public String report() {
        StringBuilder report = new StringBuilder();
        report.append(passed() ? "PASSED " : "FAILED ").append(parameters.describe()).append('\n')
                .append("  ended at tick ").append(lastTick).append(", trace hash ").append(traceHash.value().toHex())
                .append('\n').append("  ").append(counts).append('\n');
        for (String violation : violations) {
            report.append("  VIOLATION ").append(violation).append('\n');
        }
        if (!passed()) {
            report.append("  replay: ").append(replayCommand()).append('\n');
        }
        return report.toString();
    }
}
