package io.concordat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.concordat.common.Bytes;
import io.concordat.endpoint.SubmitOutcome;
import io.concordat.replica.ClientResponse;
import io.concordat.replica.RejectionReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReplicaRequestHandlerTest {

    @Test
    void aReplyReachesTheEndpointUnchanged() throws Exception {
        Bytes reply = Bytes.ofUtf8("signed reply");
        var submitted = new AtomicReference<Bytes>();
        var handler = new ReplicaRequestHandler(envelope -> {
            submitted.set(envelope);
            return CompletableFuture.completedFuture(new ClientResponse.Replied(reply));
        });

        SubmitOutcome outcome = handler.submit(Bytes.ofUtf8("request")).toCompletableFuture().get();

        assertEquals(Bytes.ofUtf8("request"), submitted.get());
        assertEquals(new SubmitOutcome.Replied(reply), outcome);
    }

    @ParameterizedTest
    @EnumSource(RejectionReason.class)
    void everyRejectionBecomesARefusalWithItsDetail(RejectionReason reason) throws Exception {
        var handler = new ReplicaRequestHandler(envelope -> CompletableFuture.completedFuture(
                new ClientResponse.Rejected(reason, "because")));

        var refused = assertInstanceOf(SubmitOutcome.Refused.class,
                handler.submit(Bytes.EMPTY).toCompletableFuture().get());

        assertEquals("because", refused.detail());
        SubmitOutcome.Refusal expected = reason == RejectionReason.REPLICA_HALTED ? SubmitOutcome.Refusal.UNAVAILABLE
                : SubmitOutcome.Refusal.valueOf(reason.name());
        assertEquals(expected, refused.refusal());
    }

    @Test
    void aTimeoutPassesThroughForTheEndpointToAnswer504() {
        var timeout = new TimeoutException("ask timed out");
        var handler = new ReplicaRequestHandler(envelope -> CompletableFuture.failedFuture(timeout));

        var failure = assertThrows(ExecutionException.class, () -> handler.submit(Bytes.EMPTY).toCompletableFuture().get());

        assertSame(timeout, failure.getCause());
    }
}
