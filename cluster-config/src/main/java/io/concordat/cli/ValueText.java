package io.concordat.cli;

import io.concordat.common.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How the CLI shows a stored value: valid UTF-8 text without control characters in double quotes (with
 * {@code "} and {@code \} escaped by a backslash), anything else as {@code 0x} and lowercase hex.
 */
final class ValueText {
    private ValueText() {}

    static String render(Bytes value) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return "0x" + value.toHex();
        }
        var quoted = new StringBuilder("\"");
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            if (Character.isISOControl(character)) {
                return "0x" + value.toHex();
            }
            if (character == '"' || character == '\\') {
                quoted.append('\\');
            }
            quoted.append(character);
        }
        return quoted.append('"').toString();
    }
}
