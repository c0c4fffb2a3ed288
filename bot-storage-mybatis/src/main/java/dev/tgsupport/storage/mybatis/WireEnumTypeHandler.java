package dev.tgsupport.storage.mybatis;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** Stores enums by their lower-case names ('private', 'in_progress'), as the schema's CHECK constraints expect. */
final class WireEnumTypeHandler<E extends Enum<E>> extends BaseTypeHandler<E> {
  private final Class<E> type;

  WireEnumTypeHandler(Class<E> type) {
    this.type = type;
  }

  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, E parameter, JdbcType jdbcType) throws SQLException {
    ps.setString(i, parameter.name().toLowerCase(Locale.ROOT));
  }

  private E parse(String s) throws SQLException {
    if (s == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SQLException("column holds '" + s + "', which is not a " + type.getSimpleName(), "22000", e);
    }
  }

  @Override
  public E getNullableResult(ResultSet rs, String columnName) throws SQLException {
    return parse(rs.getString(columnName));
  }

  @Override
  public E getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
    return parse(rs.getString(columnIndex));
  }

  @Override
  public E getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
    return parse(cs.getString(columnIndex));
  }
}
