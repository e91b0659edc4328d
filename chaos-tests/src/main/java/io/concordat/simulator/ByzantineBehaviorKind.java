package io.concordat.simulator;

import java.util.function.Supplier;

/** The catalogue of Byzantine behaviours, by name; docs/chaos.md describes each. */
public enum ByzantineBehaviorKind {
    SILENT(SilentBehavior::new, Placement.BACKUPS),
    EQUIVOCATING_VOTES(EquivocatingVotesBehavior::new, Placement.BACKUPS),
    GARBAGE_SIGNATURES(GarbageSignaturesBehavior::new, Placement.BACKUPS),
    WRONG_DIGESTS(WrongDigestsBehavior::new, Placement.BACKUPS),
    REPLAYING(ReplayingBehavior::new, Placement.BACKUPS),
    FORGED_SENDER(ForgedSenderBehavior::new, Placement.BACKUPS),
    CORRUPTED_ENCODING(CorruptedEncodingBehavior::new, Placement.BACKUPS),
    MIXED(MixedBehavior::new, Placement.BACKUPS),
    SILENT_PRIMARY(SilentPrimaryBehavior::new, Placement.FIRST_PRIMARY),
    EQUIVOCATING_PRIMARY(EquivocatingPrimaryBehavior::new, Placement.FIRST_PRIMARY),
    CENSORING_PRIMARY(CensoringPrimaryBehavior::new, Placement.FIRST_PRIMARY),
    SEQUENCE_GAPS_PRIMARY(SequenceGapsPrimaryBehavior::new, Placement.FIRST_PRIMARY),
    SLOW_PRIMARY(SlowPrimaryBehavior::new, Placement.FIRST_PRIMARY),
    REPLAYING_PRIMARY(ReplayingPrimaryBehavior::new, Placement.FIRST_PRIMARY),
    BAD_NEW_VIEW(BadNewViewBehavior::new, Placement.NEXT_PRIMARY),
    FORGED_VIEW_CHANGE(ForgedViewChangeBehavior::new, Placement.BACKUPS_AFTER_VIEW_CHANGE);

    /** Where a focused scenario puts the f replicas with this behaviour. */
    public enum Placement {
        /** f backups. */
        BACKUPS,
        /** Replica 0, the primary of view 0, and f-1 backups: it misbehaves whenever it is primary. */
        FIRST_PRIMARY,
        /** Replica 1, the primary of view 1, and f-1 other backups; replica 0 is cut off at first, forcing view 1. */
        NEXT_PRIMARY,
        /** f backups; replica 0 is cut off at first, so the backups must change views. */
        BACKUPS_AFTER_VIEW_CHANGE
    }

    private final Supplier<ByzantineBehavior> factory;
    private final Placement placement;

    ByzantineBehaviorKind(Supplier<ByzantineBehavior> factory, Placement placement) {
        this.factory = factory;
        this.placement = placement;
    }

    ByzantineBehavior create() {
        return factory.get();
    }

    public Placement placement() {
        return placement;
    }

    /** The behaviours of the Byzantine-primary catalogue (issue 4): all but the backups' ones. */
    public boolean isPrimaryCatalogue() {
        return placement != Placement.BACKUPS;
    }
}
