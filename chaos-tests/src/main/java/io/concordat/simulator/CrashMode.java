package io.concordat.simulator;

/** How the replicas of a crash scenario fail: f of them, any of them, the first primary included. */
public enum CrashMode {
    /** Crash-stop: they never come back. */
    STOP,
    /** They restart from their journal, compacted at every stable checkpoint (what the actor shell saves). */
    RESTART,
    /** They restart from the whole journal since they started, never compacted. */
    RESTART_FULL_JOURNAL
}
