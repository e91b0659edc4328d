package io.concordat.replica;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.concordat.app.StateMachine;
import io.concordat.common.Bytes;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.VerifiedSignatureCache;
import io.concordat.crypto.Signer;
import io.concordat.endpoint.RequestHandler;
import io.concordat.membership.ClusterMembershipListener;
import io.concordat.membership.PeerReachability;
import io.concordat.membership.PinnedShardAllocationStrategy;
import io.concordat.membership.ReplicaAddress;
import io.concordat.membership.ReplicaAddresses;
import io.concordat.membership.ReplicaMessageExtractor;
import io.concordat.membership.ReplicaShards;
import io.concordat.persistence.H2Checkpoint;
import io.concordat.persistence.H2CrashRecovery;
import io.concordat.persistence.JdbcJournalConfig;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Concordat node: an ActorSystem on the replica's own address that joins the Pekko cluster of all
 * replicas and hosts this replica as a Cluster Sharding entity pinned to this node.
 *
 * <p>Pekko settings the node enforces, whatever the configuration says: the cluster provider, Artery's
 * canonical host and port from the cluster definition, every replica's node as a seed, no automatic
 * downing (BFT quorums are the protocol's job, not the failure detector's), no passivation and no
 * remembered entities. Defaults it sets but that configuration may override: SLF4J logging, and
 * {@code pekko.cluster.jmx.multi-mbeans-in-same-jvm = on} so several nodes can share a JVM in tests.
 *
 * <p>Where the replica's state lives is {@code concordat.replica.persistence.journal}: with {@code h2} or
 * {@code postgresql} the replica is a {@link DurableReplicaActor} that recovers after any crash, with its H2
 * database in {@code DATA/replica-<id>/journal.mv.db}; with {@code in-memory} a node that stops loses its
 * replica's state, and the replica refuses to start a second time in the same node rather than start empty.
 */
public final class ReplicaNode {
    /** The sharding entity type of replicas. */
    public static final EntityTypeKey<ReplicaActor.Command> ENTITY_TYPE =
            EntityTypeKey.create(ReplicaActor.Command.class, "concordat-replica");

    private static final String NODE_DEFAULTS = String.join("\n",
            "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
            "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
            "pekko.cluster.sharding.retry-interval = 1s");

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaNode.class);

    private static final long SCHEMA_TIMEOUT_SECONDS = 60;

    private final ReplicaNodeConfiguration configuration;
    private final ActorSystem<Void> system;
    private final EntityRef<ReplicaActor.Command> entity;
    private final LocalReplica local;
    private final PeerDirectory directory;
    private final RetainedLog retainedLog;
    private final OrderedLog orderedLog;
    private final ReplicaMetrics metrics;
    private final Optional<JournalAnchor> anchor;
    private final VerifiedSignatureCache signatures;

    private ReplicaNode(ReplicaNodeConfiguration configuration, ActorSystem<Void> system,
            EntityRef<ReplicaActor.Command> entity, LocalReplica local, PeerDirectory directory,
            RetainedLog retainedLog, ReplicaMetrics metrics, Optional<JournalAnchor> anchor,
            VerifiedSignatureCache signatures) {
        this.anchor = anchor;
        this.configuration = configuration;
        this.system = system;
        this.entity = entity;
        this.local = local;
        this.directory = directory;
        this.retainedLog = retainedLog;
        this.orderedLog = new OrderedLog(retainedLog);
        this.metrics = metrics;
        this.signatures = signatures;
    }

    /** Starts the node with the application's {@code application.conf}, if any, over the defaults. */
    public static ReplicaNode start(ReplicaNodeConfiguration configuration, Signer signer,
            Supplier<? extends StateMachine> stateMachineFactory) {
        return start(configuration, signer, stateMachineFactory, ConfigFactory.defaultApplication());
    }

    /**
     * Starts the node. It returns at once; the replica serves once the cluster has formed, which needs
     * replica 0's node the first time (see {@link ReplicaAddresses#seedNodes()}).
     *
     * @param signer signs as this replica; its public key must be the replica's key in the membership
     * @param stateMachineFactory makes the application this replica runs, once
     * @param pekkoOverrides Pekko and Concordat settings over the defaults (not over the enforced ones)
     */
    public static ReplicaNode start(ReplicaNodeConfiguration configuration, Signer signer,
            Supplier<? extends StateMachine> stateMachineFactory, Config pekkoOverrides) {
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(stateMachineFactory, "stateMachineFactory");
        int replicaId = configuration.replicaId();
        if (!configuration.membership().keyOf(replicaId).orElseThrow().equals(signer.publicKey())) {
            throw new IllegalArgumentException("the signer's public key " + signer.publicKey() + " is not replica "
                    + replicaId + "'s key in the membership");
        }
        ReplicaAddresses addresses = configuration.addresses();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), addresses.actorSystemName(),
                nodeConfig(configuration, pekkoOverrides));
        PersistenceSettings persistence = configuration.settings().persistence();
        boolean durable = persistence.journal() != PersistenceSettings.Journal.IN_MEMORY;
        Optional<JournalAnchor> anchor = Optional.empty();
        if (durable) {
            createSchema(system, persistence, replicaId);
            try {
                anchor = openAnchor(persistence, replicaId);
            } catch (RuntimeException refused) {
                system.terminate();
                throw new IllegalStateException("replica " + replicaId + " refuses to start: " + refused.getMessage(),
                        refused);
            }
        }
        Optional<JournalAnchor> journalAnchor = anchor;
        var metrics = new ReplicaMetrics();
        var retainedLog = new RetainedLog();
        // One for the node: what the client endpoint verified, the replica does not verify again.
        var signatures = VerifiedSignatureCache.ed25519();
        ClusterSharding sharding = ClusterSharding.get(system);
        // Filled once sharding is initialised; the replica only sends after its first message arrives.
        Map<Integer, EntityRef<ReplicaActor.Command>> replicas = new ConcurrentHashMap<>();
        var directory = new PeerDirectory(addresses, replicaId);
        ReplicaActor.Peers peers = (peer, message) -> {
            EntityRef<ReplicaActor.Command> ref = replicas.get(peer);
            if (ref != null) {
                directory.orElse(peer, ref).tell(message);
            }
        };
        var started = new AtomicBoolean();
        var local = new LocalReplica(replicaId);
        sharding.init(Entity.of(ENTITY_TYPE, entity -> {
                    Optional<Integer> hosted = ReplicaShards.replicaOfEntity(entity.getEntityId());
                    if (hosted.isEmpty() || hosted.get() != replicaId) {
                        return ReplicaActor.halted("this node holds the key of replica " + replicaId + " only, not of "
                                + entity.getEntityId());
                    }
                    if (!started.compareAndSet(false, true) && !durable) {
                        // Without durable state a second start would be an empty replica that forgot what
                        // it sent, which PBFT's safety argument does not allow.
                        return ReplicaActor.halted("replica " + replicaId
                                + " stopped and keeps no durable state yet; restart the node");
                    }
                    return local.hosting(replicaBehavior(configuration, signer, signatures, stateMachineFactory,
                            peers, retainedLog, metrics, journalAnchor));
                })
                .withMessageExtractor(new ReplicaMessageExtractor<>())
                .withAllocationStrategy(new PinnedShardAllocationStrategy(addresses,
                        addresses.pekkoAddressOf(replicaId))));
        for (int id = 0; id < addresses.size(); id++) {
            replicas.put(id, sharding.entityRefFor(ENTITY_TYPE, ReplicaShards.entityId(id)));
        }
        EntityRef<ReplicaActor.Command> entity = replicas.get(replicaId);
        system.systemActorOf(directory.subscriber(), "concordat-peer-directory", Props.empty());
        system.systemActorOf(ClusterMembershipListener.create(addresses,
                hint -> local.orElse(entity).tell(new ReplicaActor.MembershipChanged(hint))), "concordat-membership",
                Props.empty());
        // Sharding starts entities on their first message; this one starts the replica (and its ticks) now.
        entity.tell(new ReplicaActor.GetStatus(system.ignoreRef()));
        return new ReplicaNode(configuration, system, entity, local, directory, retainedLog, metrics, journalAnchor,
                signatures);
    }

    public int replicaId() {
        return configuration.replicaId();
    }

    public ReplicaNodeConfiguration configuration() {
        return configuration;
    }

    /** The core's view of this replica; fails with a timeout if the replica does not answer in time. */
    public CompletionStage<ReplicaStatus> status() {
        return ask(ReplicaActor.GetStatus::new);
    }

    /** The last executed sequence number with the application's state digest at that point. */
    public CompletionStage<ExecutedState> executedState() {
        return ask(ReplicaActor.GetExecutedState::new);
    }

    /**
     * Submits a client's signed request envelope to this replica. Completes with the replica's authenticated reply
     * once the request executed, or at once with a rejection that says why; fails with a timeout if neither
     * comes in time (for example while the request waits to be ordered).
     */
    public CompletionStage<ClientResponse> submit(Bytes requestEnvelope) {
        Objects.requireNonNull(requestEnvelope, "requestEnvelope");
        return ask(replyTo -> new ReplicaActor.ClientSubmit(requestEnvelope, replyTo));
    }

    /** Asks the replica, straight when its actor runs on this node, through sharding before it started. */
    private <R> CompletionStage<R> ask(Function<ActorRef<R>, ReplicaActor.Command> command) {
        return AskPattern.ask(local.orElse(entity), command::apply, configuration.settings().askTimeout(),
                system.scheduler());
    }

    /** True once the replica actor runs and this node's requests reach it without sharding's routing. */
    boolean replicaRunsLocally() {
        return local.running().isPresent();
    }

    /** The other replicas' resolved actors, through which this node sends them protocol messages. */
    PeerDirectory peerDirectory() {
        return directory;
    }

    /**
     * The node's signature verifier, which remembers what verified: give it to the node's
     * {@link io.concordat.endpoint.ClientEndpoint} so that the replica does not verify a request again.
     */
    public VerifiedSignatureCache signatureVerifier() {
        return signatures;
    }

    /** This replica as the {@link io.concordat.endpoint.ClientEndpoint}'s request handler. */
    public RequestHandler requestHandler() {
        return new ReplicaRequestHandler(this);
    }

    /** The committed log of this replica, as a stream from any retained position. */
    public OrderedLog orderedLog() {
        return orderedLog;
    }

    public ReplicaMetrics metrics() {
        return metrics;
    }

    /**
     * How this node's Pekko Cluster currently sees every replica's node, by replica id: a hint for status
     * displays (the protocol never relies on it).
     */
    public Map<Integer, PeerReachability> peerReachability() {
        ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
        Set<Address> unreachable = new HashSet<>();
        state.getUnreachable().forEach(member -> unreachable.add(member.address()));
        Set<Address> up = new HashSet<>();
        state.getMembers().forEach(member -> {
            if (member.status().equals(MemberStatus.up()) || member.status().equals(MemberStatus.weaklyUp())) {
                up.add(member.address());
            }
        });
        Map<Integer, PeerReachability> reachability = new TreeMap<>();
        ReplicaAddresses addresses = configuration.addresses();
        for (int id = 0; id < addresses.size(); id++) {
            Address node = addresses.pekkoAddressOf(id);
            reachability.put(id, unreachable.contains(node) ? PeerReachability.UNREACHABLE
                    : up.contains(node) ? PeerReachability.UP : PeerReachability.NOT_UP);
        }
        return reachability;
    }

    /** The node's ActorSystem, for endpoints that run beside the replica (client, admin). */
    public ActorSystem<Void> system() {
        return system;
    }

    /** Leaves the cluster and stops the node; completes when the ActorSystem has terminated. */
    public CompletionStage<Done> terminate() {
        system.terminate();
        return system.getWhenTerminated().thenApply(done -> {
            retainedLog.close();
            anchor.ifPresent(JournalAnchor::close);
            return done;
        });
    }

    private static Behavior<ReplicaActor.Command> replicaBehavior(ReplicaNodeConfiguration configuration,
            Signer signer, SignatureVerifier verifier, Supplier<? extends StateMachine> stateMachineFactory,
            ReplicaActor.Peers peers, RetainedLog retainedLog, ReplicaMetrics metrics,
            Optional<JournalAnchor> anchor) {
        var codec = new ProtobufCodec(WireLimits.defaults());
        var wiring = new ReplicaActor.Wiring(configuration.replicaId(), configuration.membership(),
                configuration.protocol(), signer, verifier, codec, stateMachineFactory,
                configuration.settings(), peers, retainedLog, metrics, System::nanoTime);
        if (configuration.settings().persistence().journal() == PersistenceSettings.Journal.IN_MEMORY) {
            return ReplicaActor.create(wiring, new InMemoryJournal(metrics));
        }
        return DurableReplicaActor.create(wiring, anchor);
    }

    /**
     * Opens {@code DATA/replica-<id>/journal.anchor} if the node has a data directory: the journal's
     * high-water mark kept outside the journal ({@link JournalAnchor}). A damaged anchor refuses the start.
     */
    static Optional<JournalAnchor> openAnchor(PersistenceSettings persistence, int replicaId) {
        if (persistence.journal() == PersistenceSettings.Journal.IN_MEMORY || persistence.dataDirectory().isEmpty()) {
            return Optional.empty();
        }
        Path directory = persistence.dataDirectory().get().resolve("replica-" + replicaId);
        Optional<H2Checkpoint> checkpoint = persistence.journal() == PersistenceSettings.Journal.H2
                ? Optional.of(H2Checkpoint.open(h2File(persistence, replicaId), persistence.forceWrites()))
                : Optional.empty();
        try {
            return Optional.of(JournalAnchor.open(directory.resolve("journal.anchor"), checkpoint));
        } catch (RuntimeException refused) {
            checkpoint.ifPresent(H2Checkpoint::close);
            throw refused;
        }
    }

    /** The journal's tables, created on the first start; a node that cannot reach its database stops here. */
    private static void createSchema(ActorSystem<Void> system, PersistenceSettings persistence, int replicaId) {
        if (persistence.journal() == PersistenceSettings.Journal.H2) {
            Path databaseFile = h2File(persistence, replicaId);
            try {
                H2CrashRecovery.Outcome recovery = H2CrashRecovery.recover(databaseFile);
                if (recovery.recoveredCommits()) {
                    LOG.warn("replica {}: its H2 journal's header led to store version {} after an unclean shutdown "
                            + "but the file holds intact commits up to version {}; H2 now opens them (see "
                            + "H2CrashRecovery)", replicaId, recovery.headerVersion(), recovery.recoveredVersion());
                }
                JdbcJournalConfig.checkH2Opens(databaseFile);
            } catch (IllegalStateException refused) {
                system.terminate();
                throw refused;
            }
        }
        try {
            JdbcJournalConfig.createSchemaIfNotExists(system).toCompletableFuture().get(SCHEMA_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            system.terminate();
            throw new IllegalStateException("interrupted while creating the journal schema", e);
        } catch (ExecutionException | TimeoutException e) {
            system.terminate();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot open the " + persistence.journal().configName() + " journal ("
                    + persistence + "): " + cause, cause);
        }
    }

    /** {@code DATA/replica-<id>/journal}: H2 adds {@code .mv.db}. */
    static Path h2File(PersistenceSettings persistence, int replicaId) {
        return persistence.dataDirectory().orElseThrow().resolve("replica-" + replicaId).resolve("journal");
    }

    /** The Pekko settings of the configured journal, as defaults below the caller's overrides. */
    static Config journalConfig(ReplicaNodeConfiguration configuration) {
        PersistenceSettings persistence = configuration.settings().persistence();
        if (persistence.journal() == PersistenceSettings.Journal.H2) {
            return JdbcJournalConfig.h2(h2File(persistence, configuration.replicaId()));
        }
        if (persistence.journal() == PersistenceSettings.Journal.POSTGRESQL) {
            return JdbcJournalConfig.postgresql(persistence.postgresqlUrl(), persistence.postgresqlUser(),
                    persistence.postgresqlPassword());
        }
        return ConfigFactory.empty();
    }

    static Config nodeConfig(ReplicaNodeConfiguration configuration, Config overrides) {
        ReplicaAddress own = configuration.addresses().addressOf(configuration.replicaId());
        Map<String, Object> enforced = new HashMap<>();
        enforced.put("pekko.actor.provider", "cluster");
        enforced.put("pekko.actor.allow-java-serialization", "off");
        enforced.put("pekko.remote.artery.canonical.hostname", own.host());
        enforced.put("pekko.remote.artery.canonical.port", own.port());
        enforced.put("pekko.cluster.seed-nodes", configuration.addresses().seedNodes());
        enforced.put("pekko.cluster.downing-provider-class", "");
        enforced.put("pekko.cluster.sharding.passivation.strategy", "none");
        enforced.put("pekko.cluster.sharding.remember-entities", "off");
        Config config = ConfigFactory.load(ConfigFactory.parseMap(enforced, "enforced by Concordat's ReplicaNode")
                .withFallback(overrides)
                .withFallback(journalConfig(configuration))
                .withFallback(ConfigFactory.parseString(NODE_DEFAULTS)));
        if (!config.getString("pekko.cluster.downing-provider-class").isEmpty()) {
            throw new IllegalArgumentException("pekko.cluster.downing-provider-class must stay empty: automatic "
                    + "downing would let Pekko decide membership that only the BFT protocol may decide");
        }
        return config;
    }
}
