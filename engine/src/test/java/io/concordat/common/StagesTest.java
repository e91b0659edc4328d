package io.concordat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import scala.concurrent.Promise;

/** Why {@link Stages#COMPLETING_THREAD} exists: the stages Scala's future converters hand out, as Pekko's Java API does. */
class StagesTest {

    @Test
    void aPlainContinuationOnAConvertedScalaFutureRunsElsewhereThanTheCompletingThread() throws Exception {
        Promise<String> promise = Promise.apply();
        CompletionStage<String> stage = scala.jdk.javaapi.FutureConverters.asJava(promise.future());
        CompletableFuture<String> ranOn = stage.thenApply(value -> Thread.currentThread().getName())
                .toCompletableFuture();
        String completing = completeOnThreadOfItsOwn(promise);
        assertNotEquals(completing, ranOn.get(10, TimeUnit.SECONDS),
                "if this fails, Scala runs plain continuations in place now and Stages may go");
    }

    @Test
    void completingThreadRunsTheContinuationOnTheThreadThatCompletedTheStage() throws Exception {
        Promise<String> promise = Promise.apply();
        CompletionStage<String> stage = scala.jdk.javaapi.FutureConverters.asJava(promise.future());
        CompletableFuture<String> ranOn = stage.thenApplyAsync(value -> Thread.currentThread().getName(),
                Stages.COMPLETING_THREAD).toCompletableFuture();
        String completing = completeOnThreadOfItsOwn(promise);
        assertEquals(completing, ranOn.get(10, TimeUnit.SECONDS));
    }

    private static String completeOnThreadOfItsOwn(Promise<String> promise) throws InterruptedException {
        Thread completer = new Thread(() -> promise.success("done"), "stages-test-completer");
        completer.start();
        completer.join();
        return completer.getName();
    }
}
