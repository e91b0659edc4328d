package io.concordat.simulator;

import java.util.function.Supplier;

/** The catalogue of Byzantine behaviours, by name; docs/chaos.md describes each. */
public enum ByzantineBehaviorKind {
    SILENT(SilentBehavior::new),
    EQUIVOCATING_VOTES(EquivocatingVotesBehavior::new),
    GARBAGE_SIGNATURES(GarbageSignaturesBehavior::new),
    WRONG_DIGESTS(WrongDigestsBehavior::new),
    REPLAYING(ReplayingBehavior::new),
    FORGED_SENDER(ForgedSenderBehavior::new),
    CORRUPTED_ENCODING(CorruptedEncodingBehavior::new),
    MIXED(MixedBehavior::new);

    private final Supplier<ByzantineBehavior> factory;

    ByzantineBehaviorKind(Supplier<ByzantineBehavior> factory) {
        this.factory = factory;
    }

    ByzantineBehavior create() {
        return factory.get();
    }
}
