package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hands committed batches to the application strictly in sequence order (PBFT §4.2), applies exactly-once
 * (§4.1) and authenticates the replies when the results come back.
 */
final class ExecutionStage {
    private final ReplicaContext context;
    private final CheckpointProtocol checkpoints;
    private final StateTransfer stateTransfer;
    private final EarlierViewCommits earlierViewCommits;

    ExecutionStage(ReplicaContext context, CheckpointProtocol checkpoints, StateTransfer stateTransfer,
            EarlierViewCommits earlierViewCommits) {
        this.context = context;
        this.checkpoints = checkpoints;
        this.stateTransfer = stateTransfer;
        this.earlierViewCommits = earlierViewCommits;
    }

    /**
     * Hands out the next committed batch, if there is one and nothing else is executing: from the log in an
     * active view, and from what {@link EarlierViewCommits} proved while this replica waits for a NEW-VIEW.
     */
    void startIfReady() {
        ExecutionProgress execution = context.execution;
        if (execution.inProgress() || stateTransfer.active() || context.restoringSnapshot) {
            return;
        }
        long next = execution.lastExecutedSequence() + 1;
        if (context.viewActive) {
            earlierViewCommits.clear();
            context.log.find(next).filter(Slot::committed).filter(found -> found.batch().isPresent())
                    .ifPresent(slot -> start(next, context.view, slot.batchDigest().orElseThrow(),
                            slot.batch().orElseThrow(), slot.matchingCommits(context.membership.quorum())));
        } else {
            earlierViewCommits.discardUpTo(execution.lastExecutedSequence());
            earlierViewCommits.proven(next).ifPresent(proven -> start(next, proven.view(),
                    proven.prePrepare().body().batchDigest(), proven.batch(), proven.commits()));
        }
    }

    private void start(long next, long view, Digest batchDigest, Batch batch, List<Signed<Commit>> commits) {
        List<Signed<ClientRequest>> toExecute = new ArrayList<>(batch.requests().size());
        for (Signed<ClientRequest> request : batch.requests()) {
            ClientRequest body = request.body();
            // Exactly-once: a request runs only if it is newer than the client's last executed one. The
            // decision depends only on the agreed log, so every correct replica makes the same one.
            if (body.requestNumber() > context.sessions.lastRequestNumber(body.clientId())) {
                context.sessions.startExecution(body.clientId(), body.requestNumber());
                toExecute.add(request);
            }
            context.pendingRequests.removeUpTo(body.clientId(), body.requestNumber());
            context.orderedRequests.removeUpTo(body.clientId(), body.requestNumber());
            context.verifier.forget(request);
        }
        boolean checkpointDue = next % context.configuration.checkpointInterval() == 0;
        context.execution.start(next, toExecute, checkpointDue);
        context.out.execute.add(new Execution.ExecuteBatch(next, view, batchDigest, batch, toExecute, commits,
                checkpointDue));
    }

    void onExecuted(Input.Executed executed) {
        ExecutionProgress execution = context.execution;
        Invariants.check(execution.inProgress() && executed.sequence() == execution.executingSequence(),
                "executed sequence %d, but %s", executed.sequence(), execution);
        List<Signed<ClientRequest>> requests = execution.executingRequests();
        Invariants.check(executed.results().size() == requests.size(), "%d results for %d requests at sequence %d",
                executed.results().size(), requests.size(), executed.sequence());
        Invariants.check(executed.applicationStateDigest().isPresent() == execution.checkpointDue()
                        && executed.applicationSnapshot().isPresent() == execution.checkpointDue(),
                "sequence %d: an application state digest and snapshot are required exactly at checkpoints",
                executed.sequence());
        boolean reexecution = executed.sequence() <= context.recoveredCommitSequence;
        for (int index = 0; index < requests.size(); index++) {
            ClientRequest request = requests.get(index).body();
            Bytes result = executed.results().get(index);
            Optional<Signed<Reply>> reply = reexecution ? Optional.empty()
                    : context.reply(new Reply(context.view, request.clientId(), request.requestNumber(), result, false,
                            context.replicaId));
            if (reply.isEmpty()) {
                context.sessions.recordResult(request.clientId(), request.requestNumber(), result);
                continue;
            }
            context.sessions.recordReply(request.clientId(), result, reply.get());
            context.sendTo(new Destination.Client(request.clientId()), reply.get());
        }
        execution.finish();
        if (executed.applicationStateDigest().isPresent()) {
            checkpoints.take(executed.sequence(), executed.applicationStateDigest().get(),
                    executed.applicationSnapshot().orElseThrow());
        }
    }
}
