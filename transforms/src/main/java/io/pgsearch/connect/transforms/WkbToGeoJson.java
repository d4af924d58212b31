package io.pgsearch.connect.transforms;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts a geometry in WKB, ISO WKB or PostGIS EWKB (as Debezium's {@code
 * io.debezium.data.geometry.Geometry} carries it) into GeoJSON text, which Elasticsearch indexes as
 * a {@code geo_shape}. Z is kept, M is dropped (GeoJSON has no M), the SRID is ignored.
 */
final class WkbToGeoJson {
  private static final int EWKB_Z = 0x80000000;
  private static final int EWKB_M = 0x40000000;
  private static final int EWKB_SRID = 0x20000000;
  private static final String[] TYPES = {
    null,
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection"
  };

  private final ByteBuffer wkb;

  private WkbToGeoJson(byte[] wkb) {
    this.wkb = ByteBuffer.wrap(wkb);
  }

  /** The GeoJSON of {@code wkb}; a {@link DataException} when it is not valid WKB. */
  static String convert(byte[] wkb) {
    try {
      StringBuilder out = new StringBuilder();
      new WkbToGeoJson(wkb).geometry(out);
      return out.toString();
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new DataException("Geometry value is not valid WKB: " + e.getMessage(), e);
    }
  }

  private void geometry(StringBuilder out) {
    wkb.order(wkb.get() == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int header = wkb.getInt();
    boolean hasZ = (header & EWKB_Z) != 0;
    boolean hasM = (header & EWKB_M) != 0;
    if ((header & EWKB_SRID) != 0) {
      wkb.getInt();
    }
    int code = header & 0x0FFFFFFF;
    // ISO WKB: 1000s add Z, 2000s add M, 3000s add both.
    int dimensions = code / 1000;
    hasZ |= dimensions == 1 || dimensions == 3;
    hasM |= dimensions == 2 || dimensions == 3;
    int type = code % 1000;
    if (type < 1 || type >= TYPES.length) {
      throw new IllegalArgumentException("unsupported geometry type " + code);
    }
    out.append("{\"type\":\"").append(TYPES[type]).append('"');
    if (type == 7) {
      out.append(",\"geometries\":[");
      int count = wkb.getInt();
      for (int i = 0; i < count; i++) {
        out.append(i == 0 ? "" : ",");
        geometry(out);
      }
    } else {
      out.append(",\"coordinates\":");
      coordinates(type, hasZ, hasM, out);
    }
    out.append(type == 7 ? "]}" : "}");
  }

  private void coordinates(int type, boolean hasZ, boolean hasM, StringBuilder out) {
    switch (type) {
      case 1 -> point(hasZ, hasM, out, true);
      case 2 -> points(hasZ, hasM, out);
      case 3 -> rings(hasZ, hasM, out);
      default -> {
        // Multi*: each member is a complete WKB geometry of the single type.
        out.append('[');
        int count = wkb.getInt();
        for (int i = 0; i < count; i++) {
          out.append(i == 0 ? "" : ",");
          wkb.order(wkb.get() == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
          wkb.getInt();
          coordinates(type - 3, hasZ, hasM, out);
        }
        out.append(']');
      }
    }
  }

  private void rings(boolean hasZ, boolean hasM, StringBuilder out) {
    out.append('[');
    int count = wkb.getInt();
    for (int i = 0; i < count; i++) {
      out.append(i == 0 ? "" : ",");
      points(hasZ, hasM, out);
    }
    out.append(']');
  }

  private void points(boolean hasZ, boolean hasM, StringBuilder out) {
    out.append('[');
    int count = wkb.getInt();
    for (int i = 0; i < count; i++) {
      out.append(i == 0 ? "" : ",");
      point(hasZ, hasM, out, false);
    }
    out.append(']');
  }

  private void point(boolean hasZ, boolean hasM, StringBuilder out, boolean mayBeEmpty) {
    double x = wkb.getDouble();
    double y = wkb.getDouble();
    double z = hasZ ? wkb.getDouble() : Double.NaN;
    if (hasM) {
      wkb.getDouble();
    }
    if (mayBeEmpty && Double.isNaN(x) && Double.isNaN(y)) {
      out.append("[]"); // POINT EMPTY is written with NaN coordinates
      return;
    }
    out.append('[').append(number(x)).append(',').append(number(y));
    if (hasZ) {
      out.append(',').append(number(z));
    }
    out.append(']');
  }

  private static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("a coordinate is NaN or infinite, which JSON cannot hold");
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
