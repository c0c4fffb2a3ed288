package dev.tgsupport.storage.mybatis;

import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** {@code List<String>} ↔ PostgreSQL {@code text[]}, for the tags columns. */
final class TextArrayTypeHandler extends BaseTypeHandler<List<String>> {
  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, List<String> parameter, JdbcType jdbcType)
      throws SQLException {
    ps.setArray(i, ps.getConnection().createArrayOf("text", parameter.toArray()));
  }

  private static List<String> read(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    try {
      return List.copyOf(Arrays.asList((String[]) array.getArray()));
    } finally {
      array.free();
    }
  }

  @Override
  public List<String> getNullableResult(ResultSet rs, String columnName) throws SQLException {
    return read(rs.getArray(columnName));
  }

  @Override
  public List<String> getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
    return read(rs.getArray(columnIndex));
  }

  @Override
  public List<String> getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
    return read(cs.getArray(columnIndex));
  }
}
