package io.concordat.common;

import java.util.concurrent.Executor;

/**
 * Continuations on the {@link java.util.concurrent.CompletionStage}s that Pekko's Java API hands out. Those
 * stages come from {@code scala.jdk.FutureConverters}, whose stage runs even the plain continuations
 * ({@code thenApply}, {@code thenCompose}, {@code whenComplete}) on {@code CompletableFuture}'s default
 * executor, and on a machine with two cores that executor starts a new thread for every task
 * ({@code ForkJoinPool.commonPool()} has parallelism 1 there). On the client endpoint's path, two such
 * continuations per request halved the throughput of a local cluster (docs/benchmarks.md, "Where the
 * time goes"). Continue on such a stage with {@code thenApplyAsync(step, Stages.COMPLETING_THREAD)} instead.
 */
public final class Stages {
    /** Runs a continuation on the thread that completed the stage: for short, non-blocking steps only. */
    public static final Executor COMPLETING_THREAD = Runnable::run;

    private Stages() {}
}
