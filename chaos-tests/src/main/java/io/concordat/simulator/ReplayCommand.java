package io.concordat.simulator;

/** The command line that replays one run; printed for every failing seed. */
public final class ReplayCommand {
    public static final String SEED_PROPERTY = "simulation.seed";

    private ReplayCommand() {}

    public static String of(long seed, Scenario scenario) {
        return "mvn -q -B -pl chaos-tests -am test -Dtest=SimulationReplayTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                + SEED_PROPERTY + "=" + seed + scenario.replayProperties();
    }
}
