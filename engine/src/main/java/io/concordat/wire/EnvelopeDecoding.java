package io.concordat.wire;

import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope.MessageEnvelope;
import io.concordat.protocol.message.Envelope.PrePrepareEnvelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.proto.Envelope;
import io.concordat.wire.proto.PrePrepareBundle;
import io.concordat.wire.proto.SignedMessage;
import java.util.ArrayList;
import java.util.List;

/** A parsed protobuf {@link Envelope} to the protocol's envelope, checking which body may appear where. */
final class EnvelopeDecoding {
    private final WireLimits limits;
    private final SignedMessageDecoding signedDecoding;

    EnvelopeDecoding(WireLimits limits, SignedMessageDecoding signedDecoding) {
        this.limits = limits;
        this.signedDecoding = signedDecoding;
    }

    io.concordat.protocol.message.Envelope toDomain(Envelope envelope) throws RejectedInput {
        switch (envelope.getKindCase()) {
            case MESSAGE:
                return message(envelope.getMessage());
            case PRE_PREPARE:
                return prePrepare(envelope.getPrePrepare());
            case KIND_NOT_SET:
            default:
                throw new RejectedInput(DecodeError.UNKNOWN_TYPE,
                        "envelope holds no message of a kind this version knows");
        }
    }

    private MessageEnvelope message(SignedMessage message) throws RejectedInput {
        Signed<Signable> signed = signedDecoding.toDomain(message, "message");
        if (signed.body() instanceof PrePrepare) {
            throw new RejectedInput(DecodeError.UNEXPECTED_TYPE,
                    "message: a pre_prepare must travel in a pre_prepare bundle with its batch");
        }
        return new MessageEnvelope(signed);
    }

    private PrePrepareEnvelope prePrepare(PrePrepareBundle bundle) throws RejectedInput {
        if (!bundle.hasPrePrepare()) {
            throw new RejectedInput(DecodeError.INVALID_FIELD, "pre_prepare bundle has no signed pre_prepare");
        }
        Signed<Signable> signed = signedDecoding.toDomain(bundle.getPrePrepare(), "pre_prepare bundle");
        if (!(signed.body() instanceof PrePrepare prePrepare)) {
            throw new RejectedInput(DecodeError.UNEXPECTED_TYPE, "pre_prepare bundle: expected a pre_prepare, got "
                    + kindOf(signed.body()));
        }
        return new PrePrepareEnvelope(
                new Signed<>(prePrepare, signed.encoded(), signed.signature()), batch(bundle.getBatch()));
    }

    private Batch batch(io.concordat.wire.proto.Batch batch) throws RejectedInput {
        // Also counted before parsing (BatchRequestCounter); checked again so this class stands on its own.
        if (batch.getRequestsCount() > limits.maxBatchRequests()) {
            throw BatchRequestCounter.limitExceeded(batch.getRequestsCount(), limits);
        }
        List<Signed<ClientRequest>> requests = new ArrayList<>(batch.getRequestsCount());
        for (int index = 0; index < batch.getRequestsCount(); index++) {
            String position = "batch request " + index;
            Signed<Signable> signed = signedDecoding.toDomain(batch.getRequests(index), position);
            if (!(signed.body() instanceof ClientRequest request)) {
                throw new RejectedInput(DecodeError.UNEXPECTED_TYPE, position + ": a batch holds only client requests, got "
                        + kindOf(signed.body()));
            }
            requests.add(new Signed<>(request, signed.encoded(), signed.signature()));
        }
        return new Batch(requests);
    }

    private static String kindOf(Signable body) {
        return body.getClass().getSimpleName();
    }
}
