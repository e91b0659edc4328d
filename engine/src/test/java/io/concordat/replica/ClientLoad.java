package io.concordat.replica;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Several clients issuing a seeded mix of put, get, delete and compare-and-set on a few keys, in parallel. */
final class ClientLoad {
    private final List<VotingTestClient> clients = new ArrayList<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final long seed;

    /** @param name distinguishes the clients' keys from those of other loads on the same cluster */
    ClientLoad(LocalCluster cluster, String name, int clientCount, long seed) {
        this.seed = seed;
        for (int index = 0; index < clientCount; index++) {
            clients.add(new VotingTestClient(Ed25519KeyPair.fromSeed(LocalCluster.seed(name, index)),
                    cluster.membership, cluster::liveNodes));
        }
    }

    /** Runs {@code totalOperations} spread over the clients; the future completes when all are accepted. */
    CompletableFuture<Void> run(int totalOperations, ExecutorService executor) {
        var all = new ArrayList<CompletableFuture<Void>>();
        for (int index = 0; index < clients.size(); index++) {
            VotingTestClient client = clients.get(index);
            int operations = totalOperations / clients.size() + (index < totalOperations % clients.size() ? 1 : 0);
            var random = new Random(seed * 31 + index);
            all.add(CompletableFuture.runAsync(() -> {
                for (int count = 0; count < operations; count++) {
                    client.execute(randomOperation(random));
                    completed.incrementAndGet();
                }
            }, executor));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    static ExecutorService executor(int clients) {
        return Executors.newFixedThreadPool(clients);
    }

    int completed() {
        return completed.get();
    }

    List<VotingTestClient> clients() {
        return clients;
    }

    List<VotingTestClient.Outcome> outcomes() {
        var outcomes = new ArrayList<VotingTestClient.Outcome>();
        clients.forEach(client -> outcomes.addAll(client.outcomes()));
        return outcomes;
    }

    List<ClientResponse.Rejected> rejections() {
        var rejections = new ArrayList<ClientResponse.Rejected>();
        clients.forEach(client -> rejections.addAll(client.rejections()));
        return rejections;
    }

    static Bytes randomOperation(Random random) {
        Bytes key = Bytes.ofUtf8("key-" + random.nextInt(8));
        Bytes value = Bytes.ofUtf8("value-" + random.nextInt(10));
        switch (random.nextInt(4)) {
            case 0:
                return KeyValueOperations.put(key, value);
            case 1:
                return KeyValueOperations.get(key);
            case 2:
                return KeyValueOperations.delete(key);
            default:
                Optional<Bytes> expected = random.nextBoolean()
                        ? Optional.empty()
                        : Optional.of(Bytes.ofUtf8("value-" + random.nextInt(10)));
                return KeyValueOperations.compareAndSet(key, expected, value);
        }
    }
}
