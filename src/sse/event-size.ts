/**
 * The largest event a reader holds by default (listen's --max-event-size, doctor's watch, the
 * event-end finder): big enough for any real event, small enough that a stream without blank
 * lines cannot take all memory. Pure.
 */
export const defaultMaxEventSizeBytes = 16 * 1024 ** 2;
