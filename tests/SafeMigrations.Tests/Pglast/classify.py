"""The cross-check of the migration SQL reader: PostgreSQL's own parser (libpg_query, through pglast) splits each
entry of a corpus into statements and classifies each one by the same rules, from the parse tree.

    classify.py INPUT.json  ->  JSON on stdout

INPUT: {"harmlessFunctions": [...], "entries": ["sql", ...]}
OUTPUT: [[{"text": "...", "losses": ["DropTable app.Tags", ...], "unclassified": bool}, ...], ...]  (one list per entry)
"""
import json
import sys

import pglast
import pglast.parser
from pglast import ast, enums
from pglast.visitors import Visitor

HARMLESS_FUNCTIONS = set()

CLASS_KINDS = {enums.ObjectType.OBJECT_VIEW, enums.ObjectType.OBJECT_MATVIEW, enums.ObjectType.OBJECT_INDEX,
               enums.ObjectType.OBJECT_SEQUENCE, enums.ObjectType.OBJECT_FOREIGN_TABLE, enums.ObjectType.OBJECT_TYPE,
               enums.ObjectType.OBJECT_DOMAIN, enums.ObjectType.OBJECT_SCHEMA, enums.ObjectType.OBJECT_FUNCTION,
               enums.ObjectType.OBJECT_PROCEDURE, enums.ObjectType.OBJECT_ROUTINE, enums.ObjectType.OBJECT_AGGREGATE}
NOTHING_DEPENDS_ON = {enums.ObjectType.OBJECT_TRIGGER, enums.ObjectType.OBJECT_POLICY, enums.ObjectType.OBJECT_RULE,
                      enums.ObjectType.OBJECT_EVENT_TRIGGER, enums.ObjectType.OBJECT_PUBLICATION,
                      enums.ObjectType.OBJECT_STATISTIC_EXT}
HARMLESS_WITHOUT_CASCADE = NOTHING_DEPENDS_ON | {
    enums.ObjectType.OBJECT_COLLATION, enums.ObjectType.OBJECT_CONVERSION, enums.ObjectType.OBJECT_CAST,
    enums.ObjectType.OBJECT_LANGUAGE, enums.ObjectType.OBJECT_OPERATOR, enums.ObjectType.OBJECT_ACCESS_METHOD,
    enums.ObjectType.OBJECT_FOREIGN_SERVER, enums.ObjectType.OBJECT_FDW, enums.ObjectType.OBJECT_TRANSFORM,
    enums.ObjectType.OBJECT_TSCONFIGURATION, enums.ObjectType.OBJECT_TSDICTIONARY}
HARMLESS_TABLE_COMMANDS = {
    enums.AlterTableType.AT_AddColumn, enums.AlterTableType.AT_AddConstraint, enums.AlterTableType.AT_DropConstraint,
    enums.AlterTableType.AT_ValidateConstraint, enums.AlterTableType.AT_SetNotNull, enums.AlterTableType.AT_DropNotNull,
    enums.AlterTableType.AT_ColumnDefault, enums.AlterTableType.AT_ChangeOwner, enums.AlterTableType.AT_SetStatistics,
    enums.AlterTableType.AT_SetStorage, enums.AlterTableType.AT_EnableTrig, enums.AlterTableType.AT_DisableTrig,
    enums.AlterTableType.AT_SetLogged, enums.AlterTableType.AT_SetUnLogged, enums.AlterTableType.AT_AlterConstraint,
    enums.AlterTableType.AT_ClusterOn, enums.AlterTableType.AT_DropIdentity, enums.AlterTableType.AT_AddIdentity,
    enums.AlterTableType.AT_SetRelOptions, enums.AlterTableType.AT_ResetRelOptions, enums.AlterTableType.AT_AttachPartition,
    enums.AlterTableType.AT_DetachPartition, enums.AlterTableType.AT_EnableRowSecurity, enums.AlterTableType.AT_DisableRowSecurity}
HARMLESS_STATEMENTS = (
    ast.CreateStmt, ast.IndexStmt, ast.ViewStmt, ast.CreateFunctionStmt, ast.CreateTrigStmt, ast.CreateSeqStmt,
    ast.CompositeTypeStmt, ast.CreateEnumStmt, ast.CreateDomainStmt, ast.CreateSchemaStmt, ast.CreateExtensionStmt,
    ast.CommentStmt, ast.GrantStmt, ast.VariableSetStmt, ast.VariableShowStmt, ast.LockStmt, ast.TransactionStmt,
    ast.NotifyStmt, ast.VacuumStmt, ast.RenameStmt, ast.AlterObjectSchemaStmt, ast.AlterSeqStmt, ast.AlterFunctionStmt,
    ast.AlterOwnerStmt, ast.DropRoleStmt, ast.CreatePolicyStmt, ast.RuleStmt, ast.RefreshMatViewStmt, ast.ClusterStmt,
    ast.ReindexStmt, ast.CheckPointStmt, ast.DiscardStmt, ast.ListenStmt, ast.UnlistenStmt, ast.PrepareStmt,
    ast.DeallocateStmt, ast.ClosePortalStmt, ast.FetchStmt, ast.AlterEnumStmt, ast.CreateRoleStmt, ast.AlterRoleStmt)


def name_of(parts):
    names = [p.sval for p in parts]
    return names[-1] if len(names) == 1 else f"{names[-2]}.{names[-1]}"


def relation(rangevar):
    return rangevar.relname if rangevar.schemaname is None else f"{rangevar.schemaname}.{rangevar.relname}"


class Calls(Visitor):
    def __init__(self):
        super().__init__()
        self.names = []

    def visit_FuncCall(self, ancestors, node):
        parts = [p.sval for p in node.funcname]
        self.names.append(parts[-1] if len(parts) == 1 or parts[0] == "pg_catalog" else f"{parts[0]}.{parts[1]}")


def unknown_call(node):
    calls = Calls()
    calls(node)
    return any(name not in HARMLESS_FUNCTIONS for name in calls.names)


def writes(node):
    found = []

    class Writes(Visitor):
        def visit_InsertStmt(self, ancestors, n): found.append(n)
        def visit_UpdateStmt(self, ancestors, n): found.append(n)
        def visit_DeleteStmt(self, ancestors, n): found.append(n)
        def visit_MergeStmt(self, ancestors, n): found.append(n)

    Writes()(node)
    return bool(found)


class Reading:
    def __init__(self):
        self.losses = []
        self.unclassified = False


def classify(stmt, reading):
    """Adds what one parsed statement does to reading."""
    if isinstance(stmt, ast.DoStmt):
        return classify_do(stmt, reading)
    if isinstance(stmt, ast.DropStmt):
        return classify_drop(stmt, reading)
    if isinstance(stmt, ast.AlterTableStmt):
        if stmt.objtype not in (enums.ObjectType.OBJECT_TABLE, enums.ObjectType.OBJECT_FOREIGN_TABLE):
            return
        table = relation(stmt.relation)
        for cmd in stmt.cmds:
            if cmd.subtype == enums.AlterTableType.AT_DropColumn:
                reading.losses.append(f"DropColumn {table}.{cmd.name}")
            elif cmd.subtype == enums.AlterTableType.AT_AlterColumnType:
                reading.losses.append(f"ChangeColumnType {table}.{cmd.name}")
            elif cmd.subtype not in HARMLESS_TABLE_COMMANDS:
                reading.unclassified = True
        return
    if isinstance(stmt, (ast.DeleteStmt, ast.UpdateStmt, ast.TruncateStmt, ast.InsertStmt)):
        if unknown_call(stmt) if not isinstance(stmt, ast.InsertStmt) else (stmt.selectStmt is not None and unknown_call(stmt.selectStmt)):
            reading.unclassified = True
            return
        if isinstance(stmt, ast.DeleteStmt):
            if stmt.withClause is not None or isinstance(stmt.whereClause, ast.CurrentOfExpr):
                reading.unclassified = True
            else:
                reading.losses.append(f"DeleteRows {relation(stmt.relation)}")
        elif isinstance(stmt, ast.UpdateStmt):
            if stmt.withClause is not None or isinstance(stmt.whereClause, ast.CurrentOfExpr):
                reading.unclassified = True
            else:
                table = relation(stmt.relation)
                reading.losses.append("OverwriteValues " + ", ".join(f"{table}.{t.name}" for t in stmt.targetList))
        elif isinstance(stmt, ast.TruncateStmt):
            cascade = stmt.behavior == enums.DropBehavior.DROP_CASCADE
            reading.losses.append("Truncate " + ", ".join(relation(r) for r in stmt.relations)
                                  + (" and the tables that reference them" if cascade else ""))
        elif stmt.onConflictClause is not None and stmt.onConflictClause.action == enums.OnConflictAction.ONCONFLICT_UPDATE:
            reading.unclassified = True
        return
    if isinstance(stmt, ast.SelectStmt):
        if writes(stmt) or unknown_call(stmt):
            reading.unclassified = True
        return
    if isinstance(stmt, (ast.CreateTableAsStmt,)):
        if unknown_call(stmt.query):
            reading.unclassified = True
        return
    if isinstance(stmt, ast.ExplainStmt):
        if any(o.defname == "analyze" for o in (stmt.options or ())):
            reading.unclassified = True
        return
    if isinstance(stmt, ast.AlterExtensionStmt) or isinstance(stmt, (ast.DropdbStmt, ast.DropOwnedStmt)):
        reading.unclassified = True
        return
    if isinstance(stmt, HARMLESS_STATEMENTS):
        return
    reading.unclassified = True  # CALL, MERGE, COPY, EXECUTE, LOAD, and whatever is not listed


def classify_drop(stmt, reading):
    cascade = stmt.behavior == enums.DropBehavior.DROP_CASCADE
    kind = stmt.removeType
    if kind == enums.ObjectType.OBJECT_TABLE:
        names = [name_of(o) for o in stmt.objects]
        if cascade:
            reading.losses.append("DropCascade " + ", ".join(names))
        else:
            reading.losses.extend(f"DropTable {n}" for n in names)
    elif kind in CLASS_KINDS or kind == enums.ObjectType.OBJECT_EXTENSION:
        if cascade or kind == enums.ObjectType.OBJECT_EXTENSION:
            reading.losses.append("DropCascade " + ", ".join(drop_object_name(o) for o in stmt.objects))
    elif kind in NOTHING_DEPENDS_ON or (kind in HARMLESS_WITHOUT_CASCADE and not cascade):
        pass
    else:
        reading.unclassified = True


def drop_object_name(obj):
    if isinstance(obj, ast.ObjectWithArgs):
        return name_of(obj.objname)
    if isinstance(obj, ast.TypeName):
        return name_of(obj.names)
    if isinstance(obj, ast.String):
        return obj.sval
    return name_of(obj)


def classify_do(stmt, reading):
    args = {a.defname: a.arg.sval for a in stmt.args}
    if args.get("language", "plpgsql") != "plpgsql":
        reading.unclassified = True
        return
    tag = "$pglast_cross_check$"
    function = f"CREATE FUNCTION pglast_cross_check() RETURNS void LANGUAGE plpgsql AS {tag}{args['as']}{tag}"
    tree = pglast.parse_plpgsql(function)
    walk_plpgsql(tree, reading)


def expression(query, reading):
    """A PL/pgSQL expression: only its function calls matter."""
    if ":=" in query.split("(")[0]:
        query = query.split(":=", 1)[1]
    if unknown_call(pglast.parse_sql("SELECT " + query)[0].stmt):
        reading.unclassified = True


def sql(query, reading):
    for raw in pglast.parse_sql(query):
        classify(raw.stmt, reading)


def walk_plpgsql(node, reading):
    if isinstance(node, list):
        for item in node:
            walk_plpgsql(item, reading)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "PLpgSQL_stmt_execsql":
            sql(value["sqlstmt"]["PLpgSQL_expr"]["query"], reading)
        elif key == "PLpgSQL_stmt_perform":
            sql(value["expr"]["PLpgSQL_expr"]["query"], reading)
        elif key in ("PLpgSQL_stmt_fors",):
            sql(value["query"]["PLpgSQL_expr"]["query"], reading)
            walk_plpgsql(value.get("body", []), reading)
        elif key == "PLpgSQL_stmt_dynexecute":
            constant = pglast.parse_sql("SELECT " + value["query"]["PLpgSQL_expr"]["query"])[0].stmt.targetList[0].val
            if isinstance(constant, ast.A_Const) and isinstance(constant.val, ast.String):
                sql(constant.val.sval, reading)
            else:
                reading.unclassified = True
        elif key in ("PLpgSQL_stmt_dynfors", "PLpgSQL_stmt_call", "PLpgSQL_stmt_open"):
            reading.unclassified = True
        elif key == "PLpgSQL_expr":
            expression(value["query"], reading)
        else:
            walk_plpgsql(value, reading)


def statements(entry):
    encoded = entry.encode("utf-8")
    result = []
    for raw in pglast.parse_sql(entry):
        start = raw.stmt_location
        text = encoded[start:start + raw.stmt_len] if raw.stmt_len else encoded[start:]
        reading = Reading()
        classify(raw.stmt, reading)
        result.append({"text": text.decode("utf-8"), "losses": reading.losses, "unclassified": reading.unclassified})
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    HARMLESS_FUNCTIONS.update(request["harmlessFunctions"])
    output = []
    for entry in request["entries"]:
        try:
            output.append(statements(entry))
        except Exception as error:  # a corpus entry PostgreSQL's parser refuses: the test names it
            output.append([{"text": entry, "losses": [], "unclassified": False, "error": f"{type(error).__name__}: {error}"}])
    json.dump(output, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
