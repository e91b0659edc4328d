package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.wire.StreamFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The transport over each replica's request stream ({@link StreamFrames}, {@code GET /v1/stream}): one
 * WebSocket per replica, opened on first use and again after it is lost, which carries the requests of
 * every client that shares this transport at once and brings back their answers in any order. One
 * JDK {@link HttpClient} (so one selector thread) serves all of them, so a load generator can drive many
 * clients from one JVM. Thread-safe.
 */
final class StreamReplicaTransport implements ReplicaTransport {
    private final List<URI> endpoints;
    private final List<StreamConnection> connections;

    StreamReplicaTransport(BftClientSettings settings, Executor executor) {
        this.endpoints = settings.replicas().stream().map(BftClientSettings.Replica::endpoint).toList();
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        List<StreamConnection> opened = new ArrayList<>();
        for (BftClientSettings.Replica replica : settings.replicas()) {
            opened.add(new StreamConnection(http, streamUri(replica), settings));
        }
        this.connections = List.copyOf(opened);
    }

    /** The replicas' endpoints this transport reaches, by replica id. */
    List<URI> endpoints() {
        return endpoints;
    }

    @Override
    public Exchange send(int replicaId, Bytes envelope) {
        return connections.get(replicaId).send(envelope);
    }

    @Override
    public void close() {
        connections.forEach(StreamConnection::close);
    }

    /** The stream's {@code ws://} (or, behind {@code https://}, {@code wss://}) URI on the replica's endpoint. */
    static URI streamUri(BftClientSettings.Replica replica) {
        URI http = replica.resolve(StreamFrames.PATH);
        String scheme = http.getScheme();
        String rest = http.toString().substring(scheme.length());
        return URI.create(("https".equalsIgnoreCase(scheme) ? "wss" : "ws") + rest);
    }
}
