package io.concordat.app.kv;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import io.concordat.app.kv.proto.CompareAndSetOperation;
import io.concordat.app.kv.proto.DeleteOperation;
import io.concordat.app.kv.proto.GetOperation;
import io.concordat.app.kv.proto.KeyValueOperation;
import io.concordat.app.kv.proto.PutOperation;
import io.concordat.common.Bytes;
import java.util.Optional;

/**
 * Encodes operations as {@code concordat.kv.v1.KeyValueOperation} and decodes them back, never throwing
 * on bad input: bytes that are not a valid operation decode to {@link KeyValueCommand.Malformed}.
 *
 * <p>The reasons are fixed texts that depend only on the input and the limits, never on a library's
 * exception message, because they travel in replies that clients compare across replicas.
 */
final class OperationCodec {

    private OperationCodec() {}

    static Bytes encode(KeyValueCommand command) {
        KeyValueOperation.Builder operation = KeyValueOperation.newBuilder();
        if (command instanceof KeyValueCommand.Put put) {
            operation.setPut(PutOperation.newBuilder().setKey(wrap(put.key())).setValue(wrap(put.value())));
        } else if (command instanceof KeyValueCommand.Get get) {
            operation.setGet(GetOperation.newBuilder().setKey(wrap(get.key())));
        } else if (command instanceof KeyValueCommand.Delete delete) {
            operation.setDelete(DeleteOperation.newBuilder().setKey(wrap(delete.key())));
        } else if (command instanceof KeyValueCommand.CompareAndSet compareAndSet) {
            CompareAndSetOperation.Builder builder = CompareAndSetOperation.newBuilder()
                    .setKey(wrap(compareAndSet.key()))
                    .setNewValue(wrap(compareAndSet.newValue()));
            compareAndSet.expectedValue().ifPresent(expected -> builder.setExpectedValue(wrap(expected)));
            operation.setCompareAndSet(builder);
        } else {
            throw new IllegalArgumentException("a malformed operation has no encoding: " + command);
        }
        return Bytes.wrap(operation.build().toByteArray());
    }

    /** Decodes and checks the operation against {@code limits}. */
    static KeyValueCommand decode(Bytes payload, KeyValueLimits limits) {
        if (payload.size() > limits.operationMaxBytes()) {
            return new KeyValueCommand.Malformed("operation is " + payload.size()
                    + " bytes, larger than any valid operation under the limits (" + limits.operationMaxBytes()
                    + " bytes)");
        }
        KeyValueCommand command = parse(payload);
        Optional<String> violation = checkLimits(command, limits);
        return violation.<KeyValueCommand>map(KeyValueCommand.Malformed::new).orElse(command);
    }

    /** Decodes the structure only, without the size limits; used to classify operations as read-only. */
    static KeyValueCommand parse(Bytes payload) {
        KeyValueOperation operation;
        try {
            operation = KeyValueOperation.parseFrom(payload.unsafeArray());
        } catch (InvalidProtocolBufferException e) {
            return new KeyValueCommand.Malformed(
                    "operation is not a valid protobuf encoding of concordat.kv.v1.KeyValueOperation");
        }
        if (hasUnknownFields(operation)) {
            return new KeyValueCommand.Malformed("operation carries fields this store does not know");
        }
        switch (operation.getKindCase()) {
            case PUT:
                PutOperation put = operation.getPut();
                return new KeyValueCommand.Put(bytes(put.getKey()), bytes(put.getValue()));
            case GET:
                return new KeyValueCommand.Get(bytes(operation.getGet().getKey()));
            case DELETE:
                return new KeyValueCommand.Delete(bytes(operation.getDelete().getKey()));
            case COMPARE_AND_SET:
                CompareAndSetOperation compareAndSet = operation.getCompareAndSet();
                Optional<Bytes> expectedValue = compareAndSet.hasExpectedValue()
                        ? Optional.of(bytes(compareAndSet.getExpectedValue()))
                        : Optional.empty();
                return new KeyValueCommand.CompareAndSet(
                        bytes(compareAndSet.getKey()), expectedValue, bytes(compareAndSet.getNewValue()));
            default:
                return new KeyValueCommand.Malformed(
                        "operation names no kind: set exactly one of put, get, delete, compare_and_set");
        }
    }

    private static Optional<String> checkLimits(KeyValueCommand command, KeyValueLimits limits) {
        if (command instanceof KeyValueCommand.Put put) {
            return checkKey(put.key(), limits).or(() -> checkValue("value", put.value(), limits));
        } else if (command instanceof KeyValueCommand.Get get) {
            return checkKey(get.key(), limits);
        } else if (command instanceof KeyValueCommand.Delete delete) {
            return checkKey(delete.key(), limits);
        } else if (command instanceof KeyValueCommand.CompareAndSet compareAndSet) {
            return checkKey(compareAndSet.key(), limits)
                    .or(() -> compareAndSet.expectedValue()
                            .flatMap(expected -> checkValue("expected value", expected, limits)))
                    .or(() -> checkValue("new value", compareAndSet.newValue(), limits));
        }
        return Optional.empty();
    }

    static Optional<String> checkKey(Bytes key, KeyValueLimits limits) {
        if (key.isEmpty()) {
            return Optional.of("key is empty");
        }
        if (key.size() > limits.keyMaxBytes()) {
            return Optional.of("key is " + key.size() + " bytes, over the limit of " + limits.keyMaxBytes() + " bytes");
        }
        return Optional.empty();
    }

    static Optional<String> checkValue(String name, Bytes value, KeyValueLimits limits) {
        if (value.size() > limits.valueMaxBytes()) {
            return Optional.of(name + " is " + value.size() + " bytes, over the limit of "
                    + limits.valueMaxBytes() + " bytes");
        }
        return Optional.empty();
    }

    private static boolean hasUnknownFields(KeyValueOperation operation) {
        return hasOwnUnknownFields(operation)
                || hasOwnUnknownFields(operation.getPut())
                || hasOwnUnknownFields(operation.getGet())
                || hasOwnUnknownFields(operation.getDelete())
                || hasOwnUnknownFields(operation.getCompareAndSet());
    }

    private static boolean hasOwnUnknownFields(Message message) {
        return message.getUnknownFields().getSerializedSize() != 0;
    }

    /** Zero-copy: {@link Bytes} is immutable, so the ByteString can share its array. */
    static ByteString wrap(Bytes bytes) {
        return UnsafeByteOperations.unsafeWrap(bytes.unsafeArray());
    }

    static Bytes bytes(ByteString byteString) {
        return Bytes.wrap(byteString.toByteArray());
    }
}
