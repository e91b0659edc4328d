package io.concordat.simulator;

import java.util.Optional;

/**
 * Replays one run from the command line and prints its report; with {@code --trace}, every event too.
 * Usage: {@code Replay SEED [--trace]}, with the scenario from the system properties named in
 * {@link Scenario}. Exits with status 1 if a checker failed.
 */
public final class Replay {
    private Replay() {}

    public static void main(String[] arguments) {
        if (arguments.length < 1 || arguments.length > 2 || (arguments.length == 2 && !"--trace".equals(arguments[1]))) {
            System.err.println("usage: Replay SEED [--trace]   (scenario: -D" + Scenario.FAULTS_TOLERATED_PROPERTY
                    + "=1|2 and -D" + Scenario.BYZANTINE_PROPERTY + "=KIND or -D" + Scenario.CRASHES_PROPERTY + "=MODE; -D"
                    + Scenario.SIGNATURES_PROPERTY + "=ED25519|HMAC, drawn from the seed if unset)");
            System.exit(2);
        }
        long seed;
        try {
            seed = Long.parseLong(arguments[0]);
        } catch (NumberFormatException e) {
            System.err.println("the seed must be a decimal long, got '" + arguments[0] + "'");
            System.exit(2);
            return;
        }
        boolean printTrace = arguments.length == 2;
        SimulationParameters parameters = SimulationParameters.generate(seed, Scenario.fromSystemProperties());
        SimulationResult result = new Simulation(parameters, printTrace ? Optional.of(System.out) : Optional.empty()).run();
        System.out.print(result.report());
        System.exit(result.passed() ? 0 : 1);
    }
}
