// Plat: the platc platform description language.
// The normative reference is docs/language.md; keep the two in step.
// C++ is generated from this file at build time (never committed). Only compiler/parse/ sees it.
grammar Plat;

// ---------------------------------------------------------------- parser

file        : topLevel* EOF ;
topLevel    : importDecl | block ;
// The fast path parses one top-level item at a time and frees its tree before the next.
topLevelOrEnd : topLevel | EOF ;
// The inside of a `${…}` interpolation, parsed on its own.
interpolation : expr EOF ;

// import "./network.plat"      import std.sizes      import std.sizes as sizes
importDecl  : IMPORT (STRING | dottedName) (AS IDENT)? ;
dottedName  : IDENT ('.' IDENT)* ;

// kind name { ... }    or, for singletons such as `platform` and `pipeline`, kind { ... }
block       : kind=IDENT name=IDENT? '{' member* '}' ;

member      : (overlay | attribute | block) separator? ;
separator   : ',' | ';' ;
attribute   : key '=' expr ;
// on production { ... }    on staging, production { ... }
overlay     : ON IDENT (',' IDENT)* '{' member* '}' ;
key         : word | STRING ;
word        : IDENT | ON | IMPORT | AS ;

// ---------------------------------------------------------------- expressions
// Precedence, loosest first: chain (->), range (..), comparison, unary minus, primary.
expr        : range ('->' range)* ;
range       : comparison ('..' comparison)? ;
comparison  : unary (compareOp unary)? ;
compareOp   : '>=' | '<=' | '>' | '<' | '==' | '!=' ;
unary       : MINUS? primary ;

primary
    : word '(' (argument (',' argument)* ','?)? ')'     # callExpr
    | IDENT (NUMBER | VERSION)                          # engineExpr
    | word ('.' word)*                                  # refExpr
    | literal                                           # literalExpr
    | '[' (expr (',' expr)* ','?)? ']'                  # listExpr
    | '{' (mapEntry separator?)* '}'                    # mapExpr
    | '(' expr ')'                                      # parenExpr
    ;
argument    : (word '=')? expr ;
mapEntry    : key '=' expr ;

literal
    : STRING | MULTILINE_STRING | UNTERMINATED_STRING | UNTERMINATED_MULTILINE
    | NUMBER | QUANTITY | VERSION | TRUE | FALSE
    ;

// ---------------------------------------------------------------- lexer

IMPORT  : 'import' ;
AS      : 'as' ;
ON      : 'on' ;
TRUE    : 'true' ;
FALSE   : 'false' ;

ARROW   : '->' ;
DOTDOT  : '..' ;
GE      : '>=' ;
LE      : '<=' ;
EQEQ    : '==' ;
NE      : '!=' ;
GT      : '>' ;
LT      : '<' ;
ASSIGN  : '=' ;
MINUS   : '-' ;
DOT     : '.' ;
COMMA   : ',' ;
SEMI    : ';' ;
LBRACE  : '{' ;
RBRACE  : '}' ;
LBRACK  : '[' ;
RBRACK  : ']' ;
LPAREN  : '(' ;
RPAREN  : ')' ;

// 7.2.4 (three or more parts); two-part numbers such as 15.4 are NUMBERs.
VERSION  : DIGITS '.' DIGITS ('.' DIGITS)+ ;
// 512Mi  50GiB  250m  30s  1h30m  70%   (a number glued to a unit; units are checked in the AST builder)
QUANTITY : DIGITS ('.' DIGITS)? UNIT (DIGITS UNIT)* ;
NUMBER   : DIGITS ('.' DIGITS)? ;

// Identifiers may contain inner hyphens (cost-center) but never end in one, so `dev->prod` lexes.
IDENT    : [a-zA-Z_] ([a-zA-Z0-9_] | '-' [a-zA-Z0-9_])* ;

// Inside, a backslash escapes the next character, so `\"""` does not end the string.
MULTILINE_STRING      : '"""' ( ML_CHAR | '"' ML_CHAR | '""' ML_CHAR )* '"""' ;
UNTERMINATED_MULTILINE: '"""' ( ML_CHAR | '"' ML_CHAR | '""' ML_CHAR )* '"'? '"'? '\\'? EOF ;
STRING                : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;
UNTERMINATED_STRING   : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '\\'? ;

COMMENT  : ('#' | '//') ~[\r\n]* -> channel(HIDDEN) ;
WS       : [ \t\r\n\f]+ -> skip ;

// Anything else is one bad character; the parse driver reports it and drops it before parsing.
BAD_CHAR : . ;

fragment DIGITS : [0-9] ('_'? [0-9])* ;
fragment UNIT   : [a-zA-Z]+ | '%' ;
fragment ML_CHAR: '\\' . | ~["\\] ;
