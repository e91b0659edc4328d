package io.concordat.bench.recovery;

import io.concordat.protocol.ProtocolEvent;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Appends replica 0's events to its journal under its own persistence id, through Pekko Persistence and the
 * node's journal plugin and serializer, so that the rows are exactly those a {@code DurableReplicaActor}
 * writes. Each {@link Write} is one atomic write. The state counts the events written.
 */
final class JournalWriter extends EventSourcedBehavior<JournalWriter.Write, ProtocolEvent, Long> {

    /** Persist {@code events} as one atomic write, then answer. */
    record Write(List<ProtocolEvent> events, ActorRef<Done> replyTo) {}

    static Behavior<Write> create() {
        return new JournalWriter();
    }

    private JournalWriter() {
        super(PersistenceId.ofUniqueId(RecoveryCluster.PERSISTENCE_ID));
    }

    @Override
    public Long emptyState() {
        return 0L;
    }

    @Override
    public CommandHandler<Write, ProtocolEvent, Long> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Write.class, (written, write) -> Effect().persist(write.events())
                        .thenReply(write.replyTo(), after -> Done.getInstance()))
                .build();
    }

    @Override
    public EventHandler<Long, ProtocolEvent> eventHandler() {
        return (written, event) -> written + 1;
    }
}
