package io.concordat.replica;

import io.concordat.protocol.ProtocolEvent;
import java.util.List;

/**
 * Where the replica makes the core's {@link io.concordat.protocol.Ready#persist()} events durable. The
 * shell calls {@link #append} with all of one step's events, as one write, and sends that step's messages
 * only after it returns: the core's "persist before send" rule (PBFT §4.2; see
 * {@link io.concordat.protocol.Ready}).
 */
interface Journal {

    /** Makes {@code events} durable, in order, atomically; returns only once they are. */
    void append(List<ProtocolEvent> events);
}
