package io.concordat.bench.recovery;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.persistence.EventCodec;
import io.concordat.protocol.Destination;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Input;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.Outbound;
import io.concordat.protocol.PbftReplica;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.Ready;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Produces replica 0's journal by running the real protocol: four cores ({@link PbftReplica} with
 * {@link ExecutionDriver} and the reference key-value store), wired to each other in this JVM, order puts
 * of large values from many closed-loop clients until replica 0 has persisted the requested number of
 * payload bytes; replica 0's {@link Ready#persist()} events go to its journal through {@link JournalWriter}.
 *
 * <p>Every message goes once through the real protobuf codec and is then handed to each recipient as
 * decoded, except pre-prepares: those carry 1 MiB batches and are handed over as the primary built them,
 * so that the four cores share one copy of the requests in memory. Signatures are real Ed25519.
 *
 * <p>Each client puts 63,900-byte random values under one key of its own, so the application's state stays
 * small (one value per client) while every batch carries 16 requests, about 1 MiB, the default
 * {@code batch-max-bytes}; operations stay under the default {@code request-max-bytes} of 64 KiB. Writes to
 * the journal group the events of several core steps (up to 8 MiB) into one atomic write, to spare H2
 * commits; the rows, one per event, are the same as the live replica's.
 */
final class JournalGenerator {
    static final int VALUE_BYTES = 63_900;
    private static final int WRITE_MAX_BYTES = 8 << 20;
    private static final int WRITES_IN_FLIGHT = 4;
    private static final int QUIET_TICKS_MAX = 10_000;

    /** What replica 0 ended with, to be checked against the recovered replica. */
    record Result(long events, long payloadBytes, long batches, long requests, long lastExecutedSequence,
            String applicationStateDigest, double seconds) {}

    private record Delivery(int replica, Envelope envelope) {}

    private static final class Client {
        final Ed25519KeyPair key;
        final MessageSigner signer;
        final Bytes storeKey;
        long nextRequestNumber = 1;

        Client(int index, ProtobufCodec codec) {
            key = RecoveryCluster.clientKey(index);
            signer = new MessageSigner(key.signer(), codec);
            storeKey = Bytes.ofUtf8("client-" + index);
        }
    }

    private final RecoveryCluster cluster = new RecoveryCluster();
    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final EventCodec eventCodec = new EventCodec(codec);
    private final List<ExecutionDriver> replicas = new ArrayList<>();
    private final ArrayDeque<Delivery> network = new ArrayDeque<>();
    private final ArrayDeque<Client> idleClients = new ArrayDeque<>();
    private final Map<PublicKey, Client> clientsById = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom(20261125L);
    private final ActorSystem<?> system;
    private final ActorRef<JournalWriter.Write> writer;
    private final ArrayDeque<CompletionStage<Done>> writesInFlight = new ArrayDeque<>();
    private final Consumer<String> progress;

    private List<ProtocolEvent> unwritten = new ArrayList<>();
    private long unwrittenBytes;
    private long events;
    private long payloadBytes;
    private long batches;
    private long requests;
    private long nextProgressBytes = 100_000_000L;
    /** Signed bytes of the requests sent to the primary that are not yet in one of its batches. */
    private long unorderedRequestBytes;

    JournalGenerator(ActorSystem<?> system, ActorRef<JournalWriter.Write> writer, int clients,
            Consumer<String> progress) {
        this.system = system;
        this.writer = writer;
        this.progress = progress;
        for (int replica = 0; replica < RecoveryCluster.REPLICAS; replica++) {
            replicas.add(new ExecutionDriver(new PbftReplica(replica, cluster.membership, cluster.protocol,
                    cluster.replicaKeys.get(replica).signer(), new Ed25519Verifier(), codec), new KeyValueStore()));
        }
        for (int index = 0; index < clients; index++) {
            Client client = new Client(index, codec);
            idleClients.add(client);
            clientsById.put(client.key.publicKey(), client);
        }
    }

    /** Runs until replica 0 has persisted at least {@code targetPayloadBytes} and all its work has executed. */
    Result generate(long targetPayloadBytes) {
        long started = System.nanoTime();
        int quietTicks = 0;
        while (true) {
            // Requests on their way will be journalled too: stop early enough to land near the target.
            if (payloadBytes + unorderedRequestBytes < targetPayloadBytes) {
                while (!idleClients.isEmpty() && payloadBytes + unorderedRequestBytes < targetPayloadBytes) {
                    submit(idleClients.poll());
                }
            }
            Delivery next = network.poll();
            if (next != null) {
                step(next.replica(), new Input.Receive(next.envelope()));
                continue;
            }
            if (payloadBytes + unorderedRequestBytes >= targetPayloadBytes && idleClients.size() == clientsById.size()
                    && primaryStatus().pendingRequests() == 0) {
                break;
            }
            // Nothing in flight: let time pass so the primary proposes a partly filled batch.
            if (++quietTicks > QUIET_TICKS_MAX) {
                throw new IllegalStateException("no progress after " + QUIET_TICKS_MAX + " ticks: " + primaryStatus());
            }
            for (int replica = 0; replica < replicas.size(); replica++) {
                step(replica, new Input.Tick());
            }
        }
        flush();
        while (!writesInFlight.isEmpty()) {
            writesInFlight.poll().toCompletableFuture().join();
        }
        ReplicaStatus status = primaryStatus();
        if (status.lowWatermark() != 0 || status.lastExecutedSequence() >= RecoveryCluster.CHECKPOINT_INTERVAL) {
            throw new IllegalStateException("a checkpoint was reached; the journal would not all be since the last "
                    + "checkpoint: " + status);
        }
        return new Result(events, payloadBytes, batches, requests, status.lastExecutedSequence(),
                replicas.get(0).stateMachine().stateDigest().value().toHex(), (System.nanoTime() - started) / 1e9);
    }

    private ReplicaStatus primaryStatus() {
        return replicas.get(RecoveryCluster.RECOVERING_REPLICA).replica().status();
    }

    /** The client signs its next put and sends it to the primary (replica 0 in view 0). */
    private void submit(Client client) {
        byte[] value = new byte[VALUE_BYTES];
        random.nextBytes(value);
        var request = new ClientRequest(client.key.publicKey(), client.nextRequestNumber++,
                KeyValueOperations.put(client.storeKey, Bytes.wrap(value)), false);
        Signed<ClientRequest> signed = client.signer.sign(request);
        unorderedRequestBytes += signed.encoded().size();
        network.add(new Delivery(0, throughCodec(new Envelope.MessageEnvelope(signed))));
    }

    private void step(int replica, Input input) {
        Ready ready = replicas.get(replica).step(input);
        if (!ready.checkpoints().isEmpty()) {
            throw new IllegalStateException("replica " + replica + " reached a checkpoint: " + ready.checkpoints());
        }
        if (replica == RecoveryCluster.RECOVERING_REPLICA) {
            journal(ready.persist());
        }
        for (Outbound outbound : ready.send()) {
            route(replica, outbound);
        }
    }

    private void route(int from, Outbound outbound) {
        if (outbound.destination() instanceof Destination.Client client) {
            Reply reply = (Reply) ((Envelope.MessageEnvelope) outbound.envelope()).message().body();
            if (from == RecoveryCluster.RECOVERING_REPLICA) {
                Client owner = clientsById.get(client.clientId());
                if (owner != null && reply.requestNumber() == owner.nextRequestNumber - 1) {
                    idleClients.add(owner);
                }
            }
            return;
        }
        Envelope envelope = outbound.envelope() instanceof Envelope.PrePrepareEnvelope
                ? outbound.envelope() : throughCodec(outbound.envelope());
        if (outbound.destination() instanceof Destination.Replica target) {
            network.add(new Delivery(target.replicaId(), envelope));
            return;
        }
        for (int replica = 0; replica < replicas.size(); replica++) {
            if (replica != from) {
                network.add(new Delivery(replica, envelope));
            }
        }
    }

    private Envelope throughCodec(Envelope envelope) {
        DecodeResult decoded = codec.decodeEnvelope(codec.encodeEnvelope(envelope));
        if (decoded instanceof DecodeResult.Decoded ok) {
            return ok.envelope();
        }
        throw new IllegalStateException("the codec refused an envelope a core produced: " + decoded);
    }

    private void journal(List<ProtocolEvent> persisted) {
        for (ProtocolEvent event : persisted) {
            long size = eventCodec.encode(event).size();
            if (event instanceof ProtocolEvent.PrePrepareAccepted accepted) {
                batches++;
                requests += accepted.batch().requests().size();
                accepted.batch().requests().forEach(request -> unorderedRequestBytes -= request.encoded().size());
            }
            unwritten.add(event);
            unwrittenBytes += size;
            payloadBytes += size;
            events++;
        }
        if (unwrittenBytes >= WRITE_MAX_BYTES) {
            flush();
        }
        if (payloadBytes >= nextProgressBytes) {
            progress.accept(String.format("replica 0 persisted %,d events, %,d payload bytes, %,d batches",
                    events, payloadBytes, batches));
            nextProgressBytes += 100_000_000L;
        }
    }

    private void flush() {
        if (unwritten.isEmpty()) {
            return;
        }
        while (writesInFlight.size() >= WRITES_IN_FLIGHT) {
            writesInFlight.poll().toCompletableFuture().join();
        }
        List<ProtocolEvent> write = unwritten;
        writesInFlight.add(AskPattern.ask(writer, replyTo -> new JournalWriter.Write(write, replyTo),
                Duration.ofMinutes(5), system.scheduler()));
        unwritten = new ArrayList<>();
        unwrittenBytes = 0;
    }
}
