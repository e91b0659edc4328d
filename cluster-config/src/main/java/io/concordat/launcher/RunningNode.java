package io.concordat.launcher;

import io.concordat.endpoint.ClientEndpoint;
import io.concordat.replica.ReplicaNode;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A replica started by {@link NodeLauncher}: its node and its two endpoints. */
public final class RunningNode {
    private static final Logger LOG = LoggerFactory.getLogger(RunningNode.class);

    private final ReplicaNode node;
    private final ClientEndpoint clientEndpoint;
    private final AdminEndpoint adminEndpoint;
    private final AtomicBoolean stopping = new AtomicBoolean();

    RunningNode(ReplicaNode node, ClientEndpoint clientEndpoint, AdminEndpoint adminEndpoint) {
        this.node = node;
        this.clientEndpoint = clientEndpoint;
        this.adminEndpoint = adminEndpoint;
    }

    public ReplicaNode node() {
        return node;
    }

    public ClientEndpoint clientEndpoint() {
        return clientEndpoint;
    }

    public AdminEndpoint adminEndpoint() {
        return adminEndpoint;
    }

    /** Completes when the node's ActorSystem has terminated, for whatever reason. */
    public CompletionStage<Done> whenTerminated() {
        return node.system().getWhenTerminated();
    }

    /**
     * Stops accepting client and admin requests, then leaves the Pekko cluster and terminates the
     * ActorSystem, waiting up to {@code deadline}. Safe to call more than once and from a shutdown hook.
     *
     * @return true if the node terminated within the deadline
     */
    public boolean stop(Duration deadline) {
        if (stopping.compareAndSet(false, true)) {
            LOG.atInfo().addKeyValue("replica", node.replicaId()).log("stopping replica {}", node.replicaId());
            clientEndpoint.stop().toCompletableFuture()
                    .thenCompose(unbound -> adminEndpoint.stop())
                    .whenComplete((unbound, failure) -> node.terminate());
        }
        try {
            whenTerminated().toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception notInTime) {
            return false;
        }
    }
}
