package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** Geometries as PostGIS writes them (hex EWKB from {@code ST_AsEWKB}) and as plain WKB. */
class WkbToGeoJsonTest {

  private static String geoJson(String hex) {
    return WkbToGeoJson.convert(HexFormat.of().parseHex(hex));
  }

  @Test
  void pointInLittleAndBigEndian() {
    // SELECT ST_AsBinary('POINT(1 2)'::geometry), and its XDR form
    assertThat(geoJson("0101000000000000000000f03f0000000000000040"))
        .isEqualTo("{\"type\":\"Point\",\"coordinates\":[1,2]}");
    assertThat(geoJson("00000000013ff00000000000004000000000000000"))
        .isEqualTo("{\"type\":\"Point\",\"coordinates\":[1,2]}");
  }

  @Test
  void ewkbWithSridAndZ() {
    // SELECT ST_AsEWKB('SRID=4326;POINT(1 2 3)'::geometry)
    assertThat(geoJson("01010000a0e6100000000000000000f03f00000000000000400000000000000840"))
        .isEqualTo("{\"type\":\"Point\",\"coordinates\":[1,2,3]}");
  }

  @Test
  void isoWkbWithZAndM() {
    byte[] wkb =
        ByteBuffer.allocate(37)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put((byte) 1)
            .putInt(3001)
            .putDouble(1.5)
            .putDouble(2.5)
            .putDouble(3.5)
            .putDouble(99)
            .array();
    assertThat(WkbToGeoJson.convert(wkb))
        .isEqualTo("{\"type\":\"Point\",\"coordinates\":[1.5,2.5,3.5]}");
  }

  @Test
  void lineStringAndPolygon() {
    // ST_AsBinary('LINESTRING(0 0,1 1)') and ST_AsBinary('POLYGON((0 0,1 0,1 1,0 0))')
    assertThat(
            geoJson(
                "010200000002000000"
                    + "00000000000000000000000000000000"
                    + "000000000000f03f000000000000f03f"))
        .isEqualTo("{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}");
    assertThat(
            geoJson(
                "01030000000100000004000000"
                    + "00000000000000000000000000000000"
                    + "000000000000f03f0000000000000000"
                    + "000000000000f03f000000000000f03f"
                    + "00000000000000000000000000000000"))
        .isEqualTo("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}");
  }

  @Test
  void multiGeometriesAndCollections() {
    byte[] point = HexFormat.of().parseHex("0101000000000000000000f03f0000000000000040");
    ByteArrayOutputStream multi = new ByteArrayOutputStream();
    multi.writeBytes(HexFormat.of().parseHex("010400000002000000"));
    multi.writeBytes(point);
    multi.writeBytes(point);
    assertThat(WkbToGeoJson.convert(multi.toByteArray()))
        .isEqualTo("{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[1,2]]}");

    ByteArrayOutputStream collection = new ByteArrayOutputStream();
    collection.writeBytes(HexFormat.of().parseHex("010700000002000000"));
    collection.writeBytes(point);
    collection.writeBytes(multi.toByteArray());
    assertThat(WkbToGeoJson.convert(collection.toByteArray()))
        .isEqualTo(
            "{\"type\":\"GeometryCollection\",\"geometries\":["
                + "{\"type\":\"Point\",\"coordinates\":[1,2]},"
                + "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[1,2]]}]}");
  }

  @Test
  void multiPolygon() {
    String polygon =
        "01030000000100000004000000"
            + "00000000000000000000000000000000"
            + "000000000000f03f0000000000000000"
            + "000000000000f03f000000000000f03f"
            + "00000000000000000000000000000000";
    assertThat(geoJson("010600000001000000" + polygon))
        .isEqualTo("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}");
  }

  @Test
  void emptyPointHasNoCoordinates() {
    // ST_AsBinary('POINT EMPTY')
    assertThat(geoJson("0101000000000000000000f87f000000000000f87f"))
        .isEqualTo("{\"type\":\"Point\",\"coordinates\":[]}");
  }

  @Test
  void truncatedOrUnknownInputIsAClearError() {
    assertThatThrownBy(() -> geoJson("01010000"))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("not valid WKB");
    assertThatThrownBy(() -> geoJson("0109000000"))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("unsupported geometry type 9");
  }
}
