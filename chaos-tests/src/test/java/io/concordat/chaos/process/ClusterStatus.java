package io.concordat.chaos.process;

import io.concordat.cli.AdminProbes;
import io.concordat.cli.ClusterFile;
import io.concordat.cli.ReplicaProbe;
import io.concordat.launcher.AdminEndpoint;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The replicas' admin endpoints ({@code GET /v1/status}) as the campaign reads them. */
final class ClusterStatus {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final ClusterFile cluster;
    private final AdminProbes probes = new AdminProbes(Duration.ofSeconds(2));

    ClusterStatus(ClusterFile cluster) {
        this.cluster = cluster;
    }

    ReplicaProbe probe(int replicaId) {
        return probes.probe(replicaId, cluster.replicas().get(replicaId).adminEndpoint()).join();
    }

    List<ReplicaProbe> probeAll() {
        return probes.probeAll(cluster.replicas());
    }

    /** The primary the serving replicas follow, if one answers. */
    Optional<Integer> primary() {
        return probeAll().stream().filter(ReplicaProbe.Serving.class::isInstance).map(ReplicaProbe.Serving.class::cast)
                .map(ReplicaProbe.Serving::primary).findFirst();
    }

    /**
     * Waits until replica {@code replicaId} serves its status (it has recovered from its journal and its node
     * is in the Pekko cluster). Fails with the last answer if the deadline passes, and at once with
     * {@code whyNotAlive}'s message if its process is gone.
     */
    ReplicaProbe.Serving awaitServing(int replicaId, Duration deadline, Supplier<Optional<String>> whyNotAlive) {
        long end = System.nanoTime() + deadline.toNanos();
        ReplicaProbe last = null;
        while (true) {
            Optional<String> dead = whyNotAlive.get();
            if (dead.isPresent()) {
                throw new AssertionError("replica " + replicaId + " is not running: " + dead.get());
            }
            last = probe(replicaId);
            if (last instanceof ReplicaProbe.Serving serving) {
                return serving;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("replica " + replicaId + " did not serve its status within "
                        + deadline.toSeconds() + " s after it was started; last answer: " + last);
            }
            pause();
        }
    }

    /**
     * Every replica's whole status document and metrics as the admin endpoint serves them (drop counts,
     * reachability, counters), for a failure report.
     */
    String rawDocuments() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var text = new StringBuilder();
        for (ClusterFile.Replica replica : cluster.replicas()) {
            for (String path : List.of(AdminEndpoint.STATUS_PATH, AdminEndpoint.METRICS_PATH)) {
                text.append("\n--- replica ").append(replica.id()).append(' ').append(path).append('\n');
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(replica.adminEndpoint()
                            .resolve(path)).timeout(Duration.ofSeconds(8)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    text.append(response.body().strip()).append('\n');
                } catch (IOException e) {
                    text.append("(no answer: ").append(e).append(")\n");
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return text.append("(interrupted)").toString();
                }
            }
        }
        return text.toString();
    }

    static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }
}
