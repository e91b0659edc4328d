package io.concordat.replica;

/**
 * Marks every actor message that may cross a JVM boundary. {@code reference.conf} binds it to
 * {@link ReplicaMessageSerializer}, and Java serialization is off, so a message that crosses a JVM without
 * this marker fails loudly instead of travelling in an unreviewed format.
 */
public interface CrossNodeMessage {}
