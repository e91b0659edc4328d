package io.concordat.app.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import io.concordat.app.kv.proto.KeyValueOperationResult;
import io.concordat.app.kv.proto.ResultStatus;
import io.concordat.common.Bytes;
import java.util.Optional;

/** Encodes {@link KeyValueResult} as {@code concordat.kv.v1.KeyValueOperationResult} and back. */
final class ResultCodec {

    private ResultCodec() {}

    static Bytes encode(KeyValueResult result) {
        KeyValueOperationResult.Builder builder = KeyValueOperationResult.newBuilder()
                .setStatus(toWire(result.status()))
                .setDetail(result.detail());
        result.value().ifPresent(value -> builder.setValue(OperationCodec.wrap(value)));
        return Bytes.wrap(builder.build().toByteArray());
    }

    /**
     * Decodes a result a replica returned.
     *
     * @throws IllegalArgumentException if the bytes are not a valid result encoding
     */
    static KeyValueResult decode(Bytes encoded) {
        KeyValueOperationResult result;
        try {
            result = KeyValueOperationResult.parseFrom(encoded.unsafeArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "not a valid protobuf encoding of concordat.kv.v1.KeyValueOperationResult: " + e.getMessage(), e);
        }
        if (result.getUnknownFields().getSerializedSize() != 0) {
            throw new IllegalArgumentException("result carries fields this client does not know");
        }
        KeyValueResult.Status status = fromWire(result.getStatus());
        Optional<Bytes> value =
                result.hasValue() ? Optional.of(OperationCodec.bytes(result.getValue())) : Optional.empty();
        return new KeyValueResult(status, value, result.getDetail());
    }

    private static ResultStatus toWire(KeyValueResult.Status status) {
        switch (status) {
            case OK:
                return ResultStatus.RESULT_STATUS_OK;
            case NOT_FOUND:
                return ResultStatus.RESULT_STATUS_NOT_FOUND;
            case COMPARE_FAILED:
                return ResultStatus.RESULT_STATUS_COMPARE_FAILED;
            case INVALID:
                return ResultStatus.RESULT_STATUS_INVALID;
            default:
                throw new IllegalStateException("unhandled status " + status);
        }
    }

    private static KeyValueResult.Status fromWire(ResultStatus status) {
        switch (status) {
            case RESULT_STATUS_OK:
                return KeyValueResult.Status.OK;
            case RESULT_STATUS_NOT_FOUND:
                return KeyValueResult.Status.NOT_FOUND;
            case RESULT_STATUS_COMPARE_FAILED:
                return KeyValueResult.Status.COMPARE_FAILED;
            case RESULT_STATUS_INVALID:
                return KeyValueResult.Status.INVALID;
            default:
                throw new IllegalArgumentException("result has no known status (" + status + ")");
        }
    }
}
