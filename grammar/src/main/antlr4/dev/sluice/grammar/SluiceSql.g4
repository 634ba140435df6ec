/*
 * Sluice's SQL dialect: one grammar for the Flink-style, ksqlDB-style, PostgreSQL-flavoured and
 * Snowflake-flavoured statements the user documents (seeds) are written in.
 *
 * Modelled on Trino's SqlBase.g4: every alternative is labelled, sub-parts are named, keywords that
 * are not reserved (the `nonReserved` rule) are usable as identifiers, because the seeds name columns
 * `timestamp`, `hour`, `date`, `partition`, `status`, `format`...
 */
grammar SluiceSql;

options { caseInsensitive = true; }

// ---- entry points ---------------------------------------------------------------------------

// `statement?` between separators keeps every decision one token deep, so errors name what was expected.
script
    : statement? (SEMICOLON statement?)* EOF
    ;

singleStatement
    : statement SEMICOLON? EOF
    ;

standaloneExpression
    : expression EOF
    ;

// ---- statements -----------------------------------------------------------------------------

statement
    : query                                                                      #statementDefault
    | CREATE (OR (REPLACE | ALTER))? (
          // SOURCE: ksqlDB's read-only STREAM or TABLE (no INSERT into it, no DELETE TOPIC)
          readOnly=SOURCE? (kind=objectKind | function=functionKind) (IF NOT EXISTS)? name=qualifiedName createBody
        // in this alternative, not one of its own: two statement alternatives starting with CREATE
        // would make a misspelt kind (CREATE STREM) an error without the expected words
        | UNIQUE? INDEX (IF NOT EXISTS)? indexName=identifier? ON table=qualifiedName (~SEMICOLON)*
        // ksqlDB's CREATE TYPE name AS type: a name for a type, usable in later statements
        | TYPE (IF NOT EXISTS)? typeName=identifier AS type
      )                                                                          #create
    // and ksqlDB's statement that writes one row, INSERT INTO s (k, v) VALUES (1, 'a'): one alternative,
    // so that a statement going wrong right after INSERT still names what was expected
    | INSERT INTO target=qualifiedName columnAliases?
        (query | VALUES LPAREN (expression (COMMA expression)*)? RPAREN)        #insertInto
    | SET key=setKey EQ value=setValue                                           #setSession
    | USE (DATABASE | SCHEMA)? qualifiedName                                     #use
    | (DESCRIBE | DESC) objectKind? EXTENDED? qualifiedName                      #describe
    | SHOW CREATE objectKind qualifiedName (FORMAT format=identifier)?          #showCreate
    | SHOW objectKind HEALTH qualifiedName                                       #showHealth
    | SHOW showTarget (LIKE like=string)? (IN (SCHEMA | DATABASE)? inName=qualifiedName)? #showObjects
    | EXPLAIN statement                                                          #explain
    | ALTER objectKind qualifiedName alterAction (COMMA alterAction)*            #alter
    | DROP objectKind (IF EXISTS)? qualifiedName (DELETE TOPIC)?                 #drop
    | DROP TYPE (IF EXISTS)? typeName=identifier                                 #dropType
    | COMMENT ON objectKind qualifiedName IS comment=string                      #commentOn
    | COMMENT ON COLUMN qualifiedName IS comment=string                          #commentOnColumn
    ;

// One CREATE rule, told apart after the name: a misspelt kind (CREATE STREM) then gets a clear message.
createBody
    : LPAREN tableElement (COMMA tableElement)* RPAREN
        (PARTITIONED BY partitionedBy=columnAliases)? (WITH properties)?         #createWithColumns
    | (WITH properties)? objectOption* AS query                                 #createAsQuery
    | WITH properties                                                           #createWithOptionsOnly
    | AS className=string (LANGUAGE language=identifier)?                       #createFunctionBody
    ;

// Flink's CREATE [TEMPORARY [SYSTEM]] FUNCTION name AS 'class' [LANGUAGE JAVA]
functionKind
    : TEMPORARY? SYSTEM? FUNCTION
    ;

objectKind
    : STREAM                 #streamKind
    | TABLE                  #tableKind
    | DYNAMIC TABLE          #dynamicTableKind
    | VIEW                   #viewKind
    | MATERIALIZED VIEW      #materializedViewKind
    ;

showTarget
    : STREAMS | TABLES | VIEWS | QUERIES | TOPICS | FUNCTIONS
    | DYNAMIC TABLES
    | MATERIALIZED VIEWS
    ;

tableElement
    : WATERMARK FOR column=identifier AS expression                              #watermarkElement
    | PRIMARY KEY columnAliases (NOT ENFORCED)?                                  #primaryKeyElement
    | (CONSTRAINT constraintName=identifier)? CHECK LPAREN expression RPAREN     #checkElement
    | (CONSTRAINT constraintName=identifier)? UNIQUE
        LPAREN expression (COMMA expression)* RPAREN                             #uniqueElement
    | name=identifier AS expression                                              #computedColumnElement
    | columnDefinition                                                           #columnElement
    ;

columnDefinition
    : name=identifier type columnAttribute*
    ;

columnAttribute
    : ROWTIME                                   #rowtimeAttribute
    | NOT NULL                                  #notNullAttribute
    | NULL                                      #nullableAttribute
    | PRIMARY KEY (NOT ENFORCED)?               #primaryKeyAttribute
    | KEY                                       #keyAttribute
    | DEFAULT expression                        #defaultAttribute
    | HEADERS                                   #headersAttribute
    | HEADER LPAREN headerKey=string RPAREN     #headerAttribute
    ;

// Snowflake dynamic-table options written before AS: TARGET_LAG = '1 minute' WAREHOUSE = WH
objectOption
    : key=identifier EQ value=primaryExpression
    ;

properties
    : LPAREN (property (COMMA property)*)? RPAREN
    ;

property
    : key=propertyKey EQ value=expression
    ;

propertyKey
    : string                                    #stringPropertyKey
    | identifier (DOT identifier)*              #identifierPropertyKey
    ;

setKey
    : string                                    #stringSetKey
    | identifier (DOT identifier)*              #identifierSetKey
    ;

setValue
    : string                                    #stringSetValue
    | number                                    #numberSetValue
    | booleanValue                              #booleanSetValue
    | identifier (DOT identifier)*              #identifierSetValue
    ;

alterAction
    : ADD COLUMN? columnDefinition                                   #addColumn
    | DROP COLUMN? column=identifier                                 #dropColumn
    | ALTER COLUMN? column=identifier (SET DATA)? TYPE type          #alterColumnType
    | ADD CONSTRAINT name=identifier CHECK LPAREN expression RPAREN  #addConstraint
    | SET properties                                                 #setOptionsParenthesized
    | SET property (COMMA property)*                                 #setOptions
    | verb=(PAUSE | RESUME | REFRESH | SUSPEND)                      #control
    | RESET OFFSET TO (position=string | TIMESTAMP timestamp=string)  #resetOffset
    ;

columnAliases
    : LPAREN identifier (COMMA identifier)* RPAREN
    ;

// ---- queries --------------------------------------------------------------------------------

query
    : with? queryNoWith
    ;

with
    : WITH namedQuery (COMMA namedQuery)*
    ;

namedQuery
    : name=identifier columnAliases? AS LPAREN query RPAREN
    ;

queryNoWith
    : queryTerm
      (ORDER BY sortItem (COMMA sortItem)*)?
      ( limitClause? emitClause?
      | emitClause limitClause
      )
    ;

limitClause
    : LIMIT limit=INTEGER_VALUE
    ;

emitClause
    : EMIT CHANGES                                                    #emitChanges
    | EMIT FINAL                                                      #emitFinal
    | EMIT AFTER WATERMARK (PLUS delay=interval)?                     #emitAfterWatermark
    ;

queryTerm
    : queryPrimary                                                                 #queryTermDefault
    | left=queryTerm operator=INTERSECT setQuantifier? right=queryTerm             #setOperation
    | left=queryTerm operator=(UNION | EXCEPT) setQuantifier? right=queryTerm      #setOperation
    ;

queryPrimary
    : querySpecification                       #queryPrimaryDefault
    | LPAREN query RPAREN                      #subquery
    ;

querySpecification
    : SELECT setQuantifier? distinctOn? selectItem (COMMA selectItem)*
      (FROM relation (COMMA relation)*)?
      windowClause?
      (WHERE where=booleanExpression)?
      (PARTITION BY (partitionBy+=expression (COMMA partitionBy+=expression)* | noPartitionBy=LPAREN RPAREN))?
      (GROUP BY (groupBy+=expression (COMMA groupBy+=expression)*
          | LPAREN groupBy+=expression (COMMA groupBy+=expression)+ RPAREN))?
      (HAVING having=booleanExpression)?
      (QUALIFY qualify=booleanExpression)?
      (INTO sinkTarget (COMMA sinkTarget)*)?
      (WITH properties)?
    ;

distinctOn
    : ON LPAREN expression (COMMA expression)* RPAREN
    ;

setQuantifier
    : DISTINCT
    | ALL
    ;

selectItem
    : expression (structFields=ARROW ASTERISK | AS? alias=identifier)?   #selectSingle
    | qualifiedName DOT ASTERISK               #selectAll
    | ASTERISK                                 #selectAll
    ;

sinkTarget
    : string                                   #uriSink
    | qualifiedName                            #namedSink
    ;

// ksqlDB: WINDOW TUMBLING (SIZE 5 MINUTES, GRACE PERIOD 30 SECONDS)
// ksqlDB accepts (and ignores) a name before the window kind: `WINDOW w SESSION (1 SECOND)`.
windowClause
    : WINDOW windowName=IDENTIFIER? kind=(TUMBLING | HOPPING | SESSION) LPAREN windowParameter (COMMA windowParameter)* RPAREN
    ;

windowParameter
    : SIZE duration                            #windowSize
    | ADVANCE BY duration                      #windowAdvance
    | GRACE PERIOD duration                    #windowGrace
    | RETENTION duration                       #windowRetention
    | duration                                 #windowGap
    ;

duration
    : amount=INTEGER_VALUE unit=timeUnit
    ;

relation
    : left=relation joinType JOIN right=aliasedRelation joinWithin? ON condition=booleanExpression #joinRelation
    | left=relation CROSS JOIN right=aliasedRelation                                                #crossJoin
    | aliasedRelation                                                                               #relationDefault
    ;

joinType
    : INNER?
    | LEFT OUTER?
    | RIGHT OUTER?
    | FULL OUTER?
    ;

// ksqlDB: WITHIN 1 HOUR, WITHIN (10 SECONDS, 1 MINUTE) GRACE PERIOD 5 SECONDS
joinWithin
    : WITHIN (size=duration | LPAREN before=duration COMMA after=duration RPAREN) (GRACE PERIOD grace=duration)?
    ;

// Flink's lookup join: `JOIN dim FOR SYSTEM_TIME AS OF s.proc_time AS d`.
aliasedRelation
    : relationPrimary (FOR SYSTEM_TIME AS OF asOf=valueExpression)? (AS? alias=identifier)?
    ;

relationPrimary
    : TABLE LPAREN windowFunction=identifier LPAREN
        TABLE input=qualifiedName (PARTITION BY partitionKeys+=expression (COMMA partitionKeys+=expression)*)?
        COMMA DESCRIPTOR LPAREN timeColumn=identifier RPAREN
        (COMMA windowArguments+=expression)*
      RPAREN RPAREN                                 #windowTableFunction
    | qualifiedName                                 #tableName
    | string                                        #uriSource
    | LPAREN query RPAREN                           #subqueryRelation
    | LPAREN relation RPAREN                        #parenthesizedRelation
    ;

sortItem
    : expression ordering=(ASC | DESC)? (NULLS nullOrdering=(FIRST | LAST))?
    ;

// ---- expressions ----------------------------------------------------------------------------

expression
    : booleanExpression
    ;

booleanExpression
    : valueExpression predicate[$valueExpression.ctx]?              #predicated
    | NOT booleanExpression                                          #logicalNot
    | left=booleanExpression AND right=booleanExpression             #and
    | left=booleanExpression OR right=booleanExpression              #or
    ;

// The value the predicate tests is passed in, as in Trino, so the builder can reach it.
predicate[ParserRuleContext value]
    : comparisonOperator right=valueExpression                                          #comparison
    | NOT? BETWEEN lower=valueExpression AND upper=valueExpression                      #between
    | NOT? IN LPAREN (query | expression (COMMA expression)*) RPAREN                    #in
    | NOT? op=(LIKE | ILIKE) pattern=valueExpression (ESCAPE escape=valueExpression)?   #like
    | IS NOT? NULL                                                                      #nullPredicate
    | IS NOT? DISTINCT FROM right=valueExpression                                       #distinctFrom
    | IS NOT? booleanValue                                                              #booleanPredicate
    | QUESTION_MARK key=valueExpression                                                 #jsonKeyExists
    ;

valueExpression
    : primaryExpression                                                                 #valueExpressionDefault
    | operator=(MINUS | PLUS) valueExpression                                           #arithmeticUnary
    | left=valueExpression operator=(ASTERISK | SLASH | PERCENT) right=valueExpression  #arithmeticBinary
    | left=valueExpression operator=(PLUS | MINUS) right=valueExpression                #arithmeticBinary
    | left=valueExpression operator=(CONCAT | ARROW | DOUBLE_ARROW) right=valueExpression #otherOperator
    ;

primaryExpression
    : NULL                                                                              #nullLiteral
    | interval                                                                          #intervalLiteral
    | literalType=(TIMESTAMP | DATE | TIME) string                                             #typedLiteral
    | number                                                                            #numericLiteral
    | booleanValue                                                                      #booleanLiteral
    | string                                                                            #stringLiteral
    | QUESTION_MARK                                                                     #positionalParameter
    | COLON identifier                                                                  #namedParameter
    | ARRAY? LBRACKET (expression (COMMA expression)*)? RBRACKET                        #arrayConstructor
    | STRUCT LPAREN (structEntry (COMMA structEntry)*)? RPAREN                          #structConstructor
    | MAP LPAREN (mapEntry (COMMA mapEntry)*)? RPAREN                                   #mapConstructor
    | EXISTS LPAREN query RPAREN                                                        #exists
    | CASE operand=expression whenClause+ (ELSE elseExpression=expression)? END        #simpleCase
    | CASE whenClause+ (ELSE elseExpression=expression)? END                           #searchedCase
    | castKind=(CAST | TRY_CAST) LPAREN expression AS type RPAREN                      #cast
    | EXTRACT LPAREN field=identifier FROM valueExpression RPAREN                       #extract
    | qualifiedName LPAREN functionArguments RPAREN withinGroup? filter? over?         #functionCall
    | LPAREN query RPAREN                                                               #subqueryExpression
    | identifier                                                                        #columnReference
    | base=primaryExpression DOT fieldName=identifier                                   #dereference
    | base=primaryExpression ARROW fieldName=identifier                                 #arrowField
    | value=primaryExpression LBRACKET index=valueExpression RBRACKET                   #subscript
    | primaryExpression DOUBLE_COLON type                                               #postfixCast
    | primaryExpression COLON pathElement=identifier                                    #variantPath
    | LPAREN expression RPAREN                                                          #parenthesizedExpression
    ;

structEntry
    : identifier ASSIGN expression
    ;

mapEntry
    : key=expression ASSIGN value=expression
    ;

functionArguments
    : ASTERISK
    | (setQuantifier? functionArgument (COMMA functionArgument)*)? (ORDER BY sortItem (COMMA sortItem)*)?
    ;

// ksqlDB's lambdas, as arguments of TRANSFORM, FILTER and REDUCE: x => x + 1, (k, v) => v > 0
functionArgument
    : lambdaParameters LAMBDA_ARROW expression
    | expression
    ;

lambdaParameters
    : identifier
    | LPAREN identifier (COMMA identifier)* RPAREN
    ;

whenClause
    : WHEN condition=expression THEN result=expression
    ;

withinGroup
    : WITHIN GROUP LPAREN ORDER BY sortItem (COMMA sortItem)* RPAREN
    ;

filter
    : FILTER LPAREN WHERE booleanExpression RPAREN
    ;

over
    : OVER LPAREN
        (PARTITION BY partition+=expression (COMMA partition+=expression)*)?
        (ORDER BY sortItem (COMMA sortItem)*)?
        windowFrame?
      RPAREN
    ;

windowFrame
    : frameType=(RANGE | ROWS) lowerBound=frameBound
    | frameType=(RANGE | ROWS) BETWEEN lowerBound=frameBound AND upperBound=frameBound
    ;

frameBound
    : UNBOUNDED boundType=PRECEDING                 #unboundedFrame
    | UNBOUNDED boundType=FOLLOWING                 #unboundedFrame
    | CURRENT ROW                                   #currentRowBound
    | expression boundType=(PRECEDING | FOLLOWING)  #boundedFrame
    ;

// INTERVAL '30' SECOND, INTERVAL '5' MINUTES, INTERVAL '1 minute', INTERVAL '1:30' MINUTE TO SECOND
interval
    : INTERVAL sign=(PLUS | MINUS)? (value=string | amount=number) (from=timeUnit (TO to=timeUnit)?)?
    ;

timeUnit
    : YEAR | YEARS | MONTH | MONTHS | WEEK | WEEKS | DAY | DAYS | HOUR | HOURS
    | MINUTE | MINUTES | SECOND | SECONDS | MILLISECOND | MILLISECONDS
    ;

comparisonOperator
    : EQ | NEQ | LT | LTE | GT | GTE
    ;

booleanValue
    : TRUE | FALSE
    ;

type
    : ARRAY LT type GT                                                  #arrayType
    | MAP LT keyType=type COMMA valueType=type GT                       #mapType
    | STRUCT LT (structField (COMMA structField)*)? GT                  #structType
    | ROW LT (structField (COMMA structField)*)? GT                     #rowType
    | ROW LPAREN (structField (COMMA structField)*)? RPAREN             #rowType
    | TIMESTAMP (LPAREN precision=INTEGER_VALUE RPAREN)?
        (WITH LOCAL? TIME ZONE | WITHOUT TIME ZONE)?                    #timestampType
    | DOUBLE PRECISION                                                  #doublePrecisionType
    | identifier (LPAREN typeParameter (COMMA typeParameter)* RPAREN)?   #namedType
    ;

// VARCHAR(10), DECIMAL(10, 2); ksqlDB also takes the word STRING here (VARCHAR(STRING)) and ignores it
typeParameter
    : INTEGER_VALUE
    | STRING_TYPE
    ;

structField
    : identifier COLON? type
    ;

qualifiedName
    : identifier (DOT identifier)*
    ;

identifier
    : IDENTIFIER                 #unquotedIdentifier
    | QUOTED_IDENTIFIER          #quotedIdentifier
    | BACKQUOTED_IDENTIFIER      #backQuotedIdentifier
    | nonReserved                #unquotedIdentifier
    | DIGIT_IDENTIFIER           #unquotedIdentifier
    ;

string
    : STRING
    ;

number
    : DECIMAL_VALUE              #decimalLiteral
    | DOUBLE_VALUE               #doubleLiteral
    | INTEGER_VALUE              #integerLiteral
    ;

// Keywords that may also name a column, alias, table or function. Everything else is reserved.
nonReserved
    : ADD | ADVANCE | AFTER | ALTER | ARRAY | ASC | CHANGES | CHECK | COLUMN | COMMENT | CONSTRAINT
    | CURRENT | DATA | DATABASE | DATE | DAY | DAYS | DEFAULT | DELETE | DESC | DESCRIBE | DESCRIPTOR
    | DOUBLE | DROP | DYNAMIC | ENFORCED | ESCAPE | EXPLAIN | EXTENDED | EXTRACT | FILTER | FINAL
    | FIRST | FOLLOWING | FORMAT | INDEX | FUNCTION | FUNCTIONS | GRACE | HEADER | HEADERS | HEALTH | HOPPING | HOUR | HOURS | IF | INSERT
    | INTERVAL | KEY | LANGUAGE | LAST | LOCAL | MAP | MATERIALIZED | MILLISECOND | MILLISECONDS | MINUTE
    | MINUTES | MONTH | MONTHS | NULLS | OF | OFFSET | OVER | PARTITION | PARTITIONED | PAUSE | PERIOD | PRECEDING
    | PRECISION | PRIMARY | QUERIES | RANGE | REFRESH | REPLACE | RESET | RESUME | RETENTION | ROW
    | ROWS | ROWTIME | SCHEMA | SECOND | SECONDS | SESSION | SET | SHOW | SIZE | SOURCE | STREAM | STREAMS | STRING_TYPE
    | STRUCT | SUSPEND | SYSTEM | SYSTEM_TIME | TABLES | TEMPORARY | TIME | TIMESTAMP | TO | TOPIC | TOPICS | TUMBLING | TYPE
    | UNBOUNDED | UNIQUE | USE | VALUES | VIEW | VIEWS | WATERMARK | WEEK | WEEKS | WITHOUT | YEAR | YEARS | ZONE
    ;

// ---- lexer ----------------------------------------------------------------------------------

ADD: 'ADD';
ADVANCE: 'ADVANCE';
AFTER: 'AFTER';
ALL: 'ALL';
ALTER: 'ALTER';
AND: 'AND';
ARRAY: 'ARRAY';
AS: 'AS';
ASC: 'ASC';
BETWEEN: 'BETWEEN';
BY: 'BY';
CASE: 'CASE';
CAST: 'CAST';
CHANGES: 'CHANGES';
CHECK: 'CHECK';
COLUMN: 'COLUMN';
COMMENT: 'COMMENT';
CONSTRAINT: 'CONSTRAINT';
CREATE: 'CREATE';
CROSS: 'CROSS';
CURRENT: 'CURRENT';
DATA: 'DATA';
DATABASE: 'DATABASE';
DATE: 'DATE';
DAY: 'DAY';
DAYS: 'DAYS';
DEFAULT: 'DEFAULT';
DELETE: 'DELETE';
DESC: 'DESC';
DESCRIBE: 'DESCRIBE';
DESCRIPTOR: 'DESCRIPTOR';
DISTINCT: 'DISTINCT';
DOUBLE: 'DOUBLE';
DROP: 'DROP';
DYNAMIC: 'DYNAMIC';
ELSE: 'ELSE';
EMIT: 'EMIT';
END: 'END';
ENFORCED: 'ENFORCED';
ESCAPE: 'ESCAPE';
EXCEPT: 'EXCEPT';
EXISTS: 'EXISTS';
EXPLAIN: 'EXPLAIN';
EXTENDED: 'EXTENDED';
EXTRACT: 'EXTRACT';
FALSE: 'FALSE';
FILTER: 'FILTER';
FINAL: 'FINAL';
FIRST: 'FIRST';
FOLLOWING: 'FOLLOWING';
FOR: 'FOR';
FORMAT: 'FORMAT';
FROM: 'FROM';
FULL: 'FULL';
FUNCTION: 'FUNCTION';
FUNCTIONS: 'FUNCTIONS';
GRACE: 'GRACE';
GROUP: 'GROUP';
HAVING: 'HAVING';
HEADER: 'HEADER';
HEADERS: 'HEADERS';
HEALTH: 'HEALTH';
HOPPING: 'HOPPING';
HOUR: 'HOUR';
HOURS: 'HOURS';
IF: 'IF';
ILIKE: 'ILIKE';
IN: 'IN';
INNER: 'INNER';
INDEX: 'INDEX';
INSERT: 'INSERT';
INTERSECT: 'INTERSECT';
INTERVAL: 'INTERVAL';
INTO: 'INTO';
IS: 'IS';
JOIN: 'JOIN';
KEY: 'KEY';
LAST: 'LAST';
LANGUAGE: 'LANGUAGE';
LEFT: 'LEFT';
LIKE: 'LIKE';
LIMIT: 'LIMIT';
LOCAL: 'LOCAL';
MAP: 'MAP';
MATERIALIZED: 'MATERIALIZED';
MILLISECOND: 'MILLISECOND';
MILLISECONDS: 'MILLISECONDS';
MINUTE: 'MINUTE';
MINUTES: 'MINUTES';
MONTH: 'MONTH';
MONTHS: 'MONTHS';
NOT: 'NOT';
NULL: 'NULL';
NULLS: 'NULLS';
OF: 'OF';
OFFSET: 'OFFSET';
ON: 'ON';
OR: 'OR';
ORDER: 'ORDER';
OUTER: 'OUTER';
OVER: 'OVER';
PARTITION: 'PARTITION';
PARTITIONED: 'PARTITIONED';
PAUSE: 'PAUSE';
PERIOD: 'PERIOD';
PRECEDING: 'PRECEDING';
PRECISION: 'PRECISION';
PRIMARY: 'PRIMARY';
QUALIFY: 'QUALIFY';
QUERIES: 'QUERIES';
RANGE: 'RANGE';
REFRESH: 'REFRESH';
REPLACE: 'REPLACE';
RESET: 'RESET';
RESUME: 'RESUME';
RETENTION: 'RETENTION';
RIGHT: 'RIGHT';
ROW: 'ROW';
ROWS: 'ROWS';
ROWTIME: 'ROWTIME';
SCHEMA: 'SCHEMA';
SECOND: 'SECOND';
SECONDS: 'SECONDS';
SELECT: 'SELECT';
SESSION: 'SESSION';
SET: 'SET';
SHOW: 'SHOW';
SIZE: 'SIZE';
SOURCE: 'SOURCE';
STREAM: 'STREAM';
STREAMS: 'STREAMS';
STRING_TYPE: 'STRING';
STRUCT: 'STRUCT';
SUSPEND: 'SUSPEND';
SYSTEM: 'SYSTEM';
SYSTEM_TIME: 'SYSTEM_TIME';
TABLE: 'TABLE';
TABLES: 'TABLES';
TEMPORARY: 'TEMPORARY';
THEN: 'THEN';
TIME: 'TIME';
TIMESTAMP: 'TIMESTAMP';
TO: 'TO';
TOPIC: 'TOPIC';
TOPICS: 'TOPICS';
TRUE: 'TRUE';
TRY_CAST: 'TRY_CAST';
TUMBLING: 'TUMBLING';
TYPE: 'TYPE';
UNBOUNDED: 'UNBOUNDED';
UNION: 'UNION';
UNIQUE: 'UNIQUE';
USE: 'USE';
VALUES: 'VALUES';
VIEW: 'VIEW';
VIEWS: 'VIEWS';
WATERMARK: 'WATERMARK';
WEEK: 'WEEK';
WEEKS: 'WEEKS';
WHEN: 'WHEN';
WHERE: 'WHERE';
WINDOW: 'WINDOW';
WITH: 'WITH';
WITHIN: 'WITHIN';
WITHOUT: 'WITHOUT';
YEAR: 'YEAR';
YEARS: 'YEARS';
ZONE: 'ZONE';

LAMBDA_ARROW: '=>';
EQ: '=' | '==';
NEQ: '<>' | '!=';
LTE: '<=';
GTE: '>=';
LT: '<';
// Never a '>>' token: nested types close with two GTs (ARRAY<STRUCT<...>>).
GT: '>';
DOUBLE_ARROW: '->>';
ARROW: '->';
PLUS: '+';
MINUS: '-';
ASTERISK: '*';
SLASH: '/';
PERCENT: '%';
CONCAT: '||';
DOUBLE_COLON: '::';
ASSIGN: ':=';
COLON: ':';
QUESTION_MARK: '?';
DOT: '.';
COMMA: ',';
SEMICOLON: ';';
LPAREN: '(';
RPAREN: ')';
LBRACKET: '[';
RBRACKET: ']';

STRING
    : '\'' ( ~'\'' | '\'\'' )* '\''
    ;

// Matches only when the closing quote is missing (a closed string is always longer), so the
// parser can say "unterminated string" instead of "unexpected character".
UNTERMINATED_STRING
    : '\'' ( ~'\'' | '\'\'' )*
    ;

INTEGER_VALUE
    : DIGIT+
    ;

DECIMAL_VALUE
    : DIGIT+ '.' DIGIT*
    | '.' DIGIT+
    ;

DOUBLE_VALUE
    : DIGIT+ ('.' DIGIT*)? EXPONENT
    | '.' DIGIT+ EXPONENT
    ;

IDENTIFIER
    : (LETTER | '_') (LETTER | DIGIT | '_' | '$')*
    ;

// A name that starts with a digit, e.g. ksqlDB's `ROUND(v, -1) AS 1R`. Declared after the number
// tokens so that an equally long number (`12`, `1E5`) stays a number.
DIGIT_IDENTIFIER
    : DIGIT (LETTER | DIGIT | '_' | '$')+
    ;

QUOTED_IDENTIFIER
    : '"' ( ~'"' | '""' )* '"'
    ;

UNTERMINATED_QUOTED_IDENTIFIER
    : '"' ( ~'"' | '""' )*
    ;

BACKQUOTED_IDENTIFIER
    : '`' ( ~'`' | '``' )* '`'
    ;

fragment EXPONENT
    : 'E' [+-]? DIGIT+
    ;

fragment DIGIT
    : [0-9]
    ;

fragment LETTER
    : [A-Z]
    ;

SIMPLE_COMMENT
    : '--' ~[\r\n]* -> channel(HIDDEN)
    ;

BRACKETED_COMMENT
    : '/*' .*? '*/' -> channel(HIDDEN)
    ;

WS
    : [ \t\r\n\f]+ -> channel(HIDDEN)
    ;

// Anything else becomes one token the parser rejects with its text, never a lexer failure.
UNRECOGNIZED
    : .
    ;
